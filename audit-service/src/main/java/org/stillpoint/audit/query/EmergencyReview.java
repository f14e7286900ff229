package org.stillpoint.audit.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Duration;
import java.time.Instant;

/**
 * An emergency referral issued without information-sharing consent, which a compliance officer of its organisation
 * reviews (DESIGN §2), and the review once recorded: one document per flagged referral, ids and names only (the
 * justification and the officer's notes stay sealed in the events).
 *
 * @param recipient  to whom it went: name, and organisation when one was given
 * @param outcome    {@code APPROPRIATE} or {@code NOT_APPROPRIATE}; null while it awaits review
 */
@Document(EmergencyReview.COLLECTION)
public record EmergencyReview(@Id String referralId, String clientId, @Indexed String organisationId, String clinicId,
                              String recipient, Instant issuedAt, String issuedBy, String outcome, Instant reviewedAt,
                              String reviewedBy) {

    public static final String COLLECTION = "audit_reviews";

    public boolean awaiting() {
        return outcome == null;
    }

    /** When the review is due: {@code within} after the referral went out. */
    public Instant dueBy(Duration within) {
        return issuedAt.plus(within);
    }

    /** Awaiting review past its due time at {@code now}. */
    public boolean overdue(Duration within, Instant now) {
        return awaiting() && dueBy(within).isBefore(now);
    }
}
