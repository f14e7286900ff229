package org.stillpoint.audit.query;

import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.RecipientKind;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralReviewed;
import org.stillpoint.contracts.referral.ReviewOutcome;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The review queue as the audit reads it: a flagged referral awaits review and is overdue past its time, a review
 * closes it whichever arrives first, an erasure closes what was never reviewed, and reading any event again changes
 * nothing. Referrals that were not flagged never enter it; another organisation's stay out of the count.
 */
class EmergencyReviewsTest {

    private static final Duration WITHIN = Duration.ofHours(72);
    private static final Instant ISSUED = Instant.parse("2026-12-01T09:00:00Z");

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "reviews-" + UUID.randomUUID());
    private final EmergencyReviews reviews = new EmergencyReviews(mongo);
    private final ClientId client = ClientId.random();

    @Test
    void aFlaggedReferralAwaitsReviewIsOverduePastItsTimeAndAReviewClosesIt() {
        ReferralId flagged = ReferralId.random();
        reviews.apply(issued(flagged, "stillwater", true));
        reviews.apply(issued(ReferralId.random(), "stillwater", false));
        reviews.apply(issued(ReferralId.random(), "riverside", true));

        assertThat(reviews.awaiting("stillwater")).extracting(EmergencyReview::referralId)
                                                  .containsExactly(flagged.toString());
        assertThat(reviews.awaiting("stillwater").getFirst().recipient()).isEqualTo("Harbour A&E, NHS Harbour");
        assertThat(reviews.overdue("stillwater", WITHIN, ISSUED.plus(WITHIN))).isZero();
        assertThat(reviews.overdue("stillwater", WITHIN, ISSUED.plus(WITHIN).plusSeconds(1))).isEqualTo(1);
        assertThat(reviews.of(flagged.toString()).orElseThrow().overdue(WITHIN, ISSUED.plus(Duration.ofDays(4))))
                .isTrue();

        ReferralReviewed review = reviewed(flagged);
        reviews.apply(review);
        reviews.apply(review);
        reviews.apply(issued(flagged, "stillwater", true));

        assertThat(reviews.awaiting("stillwater")).isEmpty();
        assertThat(reviews.overdue("stillwater", WITHIN, ISSUED.plus(Duration.ofDays(30)))).isZero();
        EmergencyReview closed = reviews.reviewed("stillwater", 10).getFirst();
        assertThat(closed.outcome()).isEqualTo("NOT_APPROPRIATE");
        assertThat(closed.reviewedBy()).isEqualTo("cole");
        assertThat(closed.issuedAt()).isEqualTo(ISSUED);
        assertThat(reviews.awaiting("riverside")).hasSize(1);
    }

    @Test
    void aReviewReadBeforeItsReferralKeepsItsOutcome() {
        ReferralId flagged = ReferralId.random();
        reviews.apply(reviewed(flagged));
        reviews.apply(issued(flagged, "stillwater", true));

        assertThat(reviews.awaiting("stillwater")).isEmpty();
        assertThat(reviews.reviewed("stillwater", 10)).extracting(EmergencyReview::outcome)
                                                      .containsExactly("NOT_APPROPRIATE");
    }

    @Test
    void anErasureClosesWhatWasNeverReviewedAndLeavesRecordedReviewsAsTheyWere() {
        ReferralId open = ReferralId.random();
        ReferralId done = ReferralId.random();
        reviews.apply(issued(open, "stillwater", true));
        reviews.apply(issued(done, "stillwater", true));
        reviews.apply(reviewed(done));
        reviews.apply(new ClientErased(client, UUID.randomUUID(), OrganisationId.of("stillwater"), ClinicId.of("north"),
                                       "Art. 17(1)(b)", null, null, new Actor("cam"), new Actor("cole"),
                                       ISSUED.plus(Duration.ofDays(1))));

        assertThat(reviews.awaiting("stillwater")).isEmpty();
        assertThat(reviews.of(open.toString()).orElseThrow().outcome()).isEqualTo(EmergencyReviews.ERASED);
        assertThat(reviews.of(done.toString()).orElseThrow().outcome()).isEqualTo("NOT_APPROPRIATE");
    }

    private ReferralIssued issued(ReferralId referral, String organisation, boolean flagged) {
        return new ReferralIssued(client, referral, OrganisationId.of(organisation), ClinicId.of("north"),
                                  new Recipient(RecipientKind.MEDICAL, "Harbour A&E", "NHS Harbour", null),
                                  Urgency.EMERGENCY, new Sealed("k", "c"), null, Set.of(InformationCategory.DEMOGRAPHICS),
                                  List.of(), 3, flagged, flagged ? new Sealed("k", "j") : null, flagged, ISSUED,
                                  new Actor("pat"));
    }

    private ReferralReviewed reviewed(ReferralId referral) {
        return new ReferralReviewed(client, referral, ReviewOutcome.NOT_APPROPRIATE, null, ISSUED.plusSeconds(3_600),
                                    new Actor("cole"));
    }
}
