package org.stillpoint.referral.query;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.RecipientKind;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralStatus;
import org.stillpoint.contracts.referral.ReferralStatusChanged;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The referrals view from the referral events, over an in-memory wire-protocol store: given the events, the document
 * they make with its status history; the same events again (a redelivery, a replay) leave it as it is.
 */
class ReferralsProjectionTest {

    private static final Instant ISSUED = Instant.parse("2026-12-03T15:00:00Z");
    private static final Actor PIA = new Actor("pia-practitioner");

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "referrals-" + UUID.randomUUID());
    private final ReferralsProjection projection = new ReferralsProjection(mongo);
    private final ClientId robin = ClientId.random();
    private final ReferralId referral = ReferralId.random();

    private final List<Object> history = List.of(
            new ReferralIssued(robin, referral, OrganisationId.of("stillwater"), ClinicId.of("harbour-street"),
                               new Recipient(RecipientKind.MEDICAL, "Dr. Amara Osei", "Harbour Medical Practice",
                                             new Sealed("k1", "sealed-contact")),
                               Urgency.URGENT, new Sealed("k1", "sealed-reason"), null,
                               Set.of(InformationCategory.DEMOGRAPHICS),
                               List.of(new ConsentReliance(ConsentId.random(), 2, Set.of(ConsentScope.INFORMATION_SHARING))),
                               5, true, new Sealed("k1", "sealed-justification"), true, ISSUED, PIA),
            new ReferralStatusChanged(robin, referral, ReferralStatus.ISSUED, ReferralStatus.ACKNOWLEDGED, null,
                                      ISSUED.plusSeconds(3_600), new Actor("cam-admin")),
            new ReferralStatusChanged(robin, referral, ReferralStatus.ACKNOWLEDGED, ReferralStatus.COMPLETED,
                                      new Sealed("k1", "sealed-note"), ISSUED.plusSeconds(86_400), new Actor("cam-admin")));

    @Test
    void theEventsMakeTheReferralsDocumentWithItsStatusHistory() {
        apply(history);

        ReferralView view = mongo.findById(referral.toString(), ReferralView.class);
        assertThat(view.status()).isEqualTo(ReferralStatus.COMPLETED);
        assertThat(view.open()).isFalse();
        assertThat(view.emergencyOverride()).isTrue();
        assertThat(view.reviewRequired()).isTrue();
        assertThat(view.history()).extracting(ReferralView.StatusChange::status)
                                  .containsExactly(ReferralStatus.ISSUED, ReferralStatus.ACKNOWLEDGED,
                                                   ReferralStatus.COMPLETED);
        assertThat(view.history()).extracting(ReferralView.StatusChange::at)
                                  .containsExactly(ISSUED, ISSUED.plusSeconds(3_600), ISSUED.plusSeconds(86_400));
        assertThat(view.lastSequence()).isEqualTo(2);
    }

    @Test
    void theSameEventsAgainChangeNothing() {
        apply(history);
        List<Document> once = documents();

        apply(history);
        apply(history.subList(1, 2));

        assertThat(documents()).isEqualTo(once);
    }

    private void apply(List<Object> events) {
        for (Object event : events) {
            long sequence = history.indexOf(event);
            switch (event) {
                case ReferralIssued e -> projection.on(e, sequence);
                case ReferralStatusChanged e -> projection.on(e, sequence);
                default -> throw new IllegalArgumentException(event.getClass().getName());
            }
        }
    }

    private List<Document> documents() {
        return mongo.getCollection(ReferralView.COLLECTION).find().into(new ArrayList<>());
    }
}
