package org.stillpoint.session.it;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.command.ProjectionRebuild;
import org.stillpoint.session.query.SessionsProjection;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The session read model is rebuilt from the events alone, identically, however often it is rebuilt. */
class SessionsRebuildIT extends OnBackends {

    @Autowired
    ApplicationContext context;

    @Test
    void rebuildingFromTheStartTwiceGivesTheSameDocuments() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        ConsentApi consent = ConsentApi.beside(ConsentServiceApplication.class);
        String clientId = consent.register("harbour-street");
        String sequence = consent.grant(clientId, "[\"CRANIOSACRAL_THERAPY\"]", Duration.ofDays(3))[1];
        for (int i = 0; i < 3; i++) {
            Http.Response recorded = sessions.post("/api/clients/" + clientId + "/sessions", """
                    {"clinicId":"harbour-street","startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":50,
                     "modalities":["CRANIOSACRAL_THERAPY"],"notes":{"observations":"o%d"},"consentSequence":%s}
                    """.formatted(Instant.now().minus(Duration.ofDays(2 - i)), i, sequence));
            assertThat(recorded.status()).as(recorded.raw().body()).isEqualTo(201);
            String session = "/api/clients/" + clientId + "/sessions/" + recorded.body().get("sessionId").asString();
            assertThat(sessions.put(session + "/note", "{\"observations\":\"revised\"}").status()).isEqualTo(200);
            assertThat(sessions.post(session + "/signature", "").status()).isEqualTo(201);
            assertThat(sessions.post(session + "/amendments", "{\"text\":\"t\",\"reason\":\"r\"}").status()).isEqualTo(201);
        }
        assertThat(database.getCollection("client_sessions").countDocuments()).isGreaterThanOrEqualTo(3);
        ProjectionRebuild.of(context).assertRebuildsIdentically(SessionsProjection.PROCESSOR,
                                                                database.getCollection("client_sessions"));
    }
}
