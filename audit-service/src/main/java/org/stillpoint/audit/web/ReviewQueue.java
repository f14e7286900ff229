package org.stillpoint.audit.web;

import org.stillpoint.audit.query.EmergencyReview;
import org.stillpoint.audit.query.EmergencyReviews;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The emergency-review queue of the caller's organisation (DESIGN §2): the referrals issued without consent that await
 * a compliance officer's review, oldest first, each with when it is due, and the reviews recorded, newest first. A
 * compliance officer sees the organisation's; a clinic admin their clinics'. Ids, names and times only: no clinical
 * text, so the list is no read of any client's record.
 */
final class ReviewQueue {

    /** How many recorded reviews the queue shows. */
    static final int REVIEWED_SHOWN = 100;

    /**
     * One flagged referral.
     *
     * @param outcome {@code APPROPRIATE}, {@code NOT_APPROPRIATE}, {@code CLIENT_ERASED} (erased before any review);
     *                absent while it awaits review
     */
    record Item(String referralId, String clientId, String clinicId, String recipient, Instant issuedAt,
                String issuedBy, Instant dueBy, boolean overdue, String outcome, Instant reviewedAt,
                String reviewedBy) {

        static Item of(EmergencyReview r, Duration within, Instant now) {
            return new Item(r.referralId(), r.clientId(), r.clinicId(), r.recipient(), r.issuedAt(), r.issuedBy(),
                            r.dueBy(within), r.overdue(within, now), r.outcome(), r.reviewedAt(), r.reviewedBy());
        }
    }

    /** @param reviewWithin how soon a review is due, ISO-8601 ({@code PT72H}) */
    record Queue(String organisationId, Duration reviewWithin, long overdue, List<Item> awaiting,
                 List<Item> reviewed) {
    }

    private ReviewQueue() {
    }

    static Queue of(Caller caller, EmergencyReviews reviews, Duration within, Instant now) {
        String organisation = caller.organisationId().toString();
        List<Item> awaiting = reviews.awaiting(organisation).stream().filter(r -> sees(caller, r))
                                     .map(r -> Item.of(r, within, now)).toList();
        List<Item> reviewed = reviews.reviewed(organisation, REVIEWED_SHOWN).stream().filter(r -> sees(caller, r))
                                     .map(r -> Item.of(r, within, now)).toList();
        return new Queue(organisation, within, awaiting.stream().filter(Item::overdue).count(), awaiting, reviewed);
    }

    private static boolean sees(Caller caller, EmergencyReview review) {
        return caller.has(Role.COMPLIANCE_OFFICER) || caller.worksAt(ClinicId.of(review.clinicId()));
    }
}
