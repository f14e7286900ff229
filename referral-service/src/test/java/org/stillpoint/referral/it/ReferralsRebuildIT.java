package org.stillpoint.referral.it;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.command.ProjectionRebuild;
import org.stillpoint.referral.query.ReferralsProjection;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The referral read model is rebuilt from the events alone, identically, however often it is rebuilt. */
class ReferralsRebuildIT extends OnBackends {

    @Autowired
    ApplicationContext context;

    @Test
    void rebuildingFromTheStartTwiceGivesTheSameDocuments() {
        Http referrals = new Http(port).withToken(TestIssuer.shared().practitioner());
        ConsentApi consent = ConsentApi.beside(ConsentServiceApplication.class);
        String clientId = consent.register("harbour-street");
        String sequence = consent.grant(clientId, "[\"INFORMATION_SHARING\"]", Duration.ofDays(1))[1];
        for (String urgency : List.of("ROUTINE", "URGENT", "EMERGENCY")) {
            Http.Response issued = ReferralFlowIT.issue(referrals, clientId, urgency, null, sequence);
            assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
            String referral = "/api/clients/" + clientId + "/referrals/" + issued.body().get("referralId").asString();
            assertThat(referrals.post(referral + "/status", "{\"status\":\"ACKNOWLEDGED\",\"note\":\"n\"}").status())
                    .isEqualTo(201);
        }
        assertThat(database.getCollection("client_referrals").countDocuments()).isGreaterThanOrEqualTo(3);
        ProjectionRebuild.of(context).assertRebuildsIdentically(ReferralsProjection.PROCESSOR,
                                                                database.getCollection("client_referrals"));
    }
}
