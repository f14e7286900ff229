package org.stillpoint.referral.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.ReferralStatus;
import org.stillpoint.contracts.referral.ReviewOutcome;
import org.stillpoint.contracts.referral.Urgency;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A referral with its status history, one document per referral; free text stays sealed here.
 *
 * @param open         whether it still waits for the recipient (issued or acknowledged)
 * @param review       the compliance review of an emergency override; null until it is reviewed (or when none is due)
 * @param lastSequence the referral's last event applied; events at or below it are duplicates
 */
@Document(ReferralView.COLLECTION)
public record ReferralView(@Id String referralId, @Indexed String clientId, @Indexed String organisationId,
                           String clinicId, Recipient recipient, Urgency urgency, Sealed reason,
                           String originatingSession, Set<InformationCategory> sharedCategories,
                           List<ConsentReliance> consents, long consentViewSequence, boolean emergencyOverride,
                           Sealed justification, boolean reviewRequired, ReferralStatus status, boolean open,
                           List<StatusChange> history, Review review, Instant issuedAt, String issuedBy,
                           long lastSequence) {

    public static final String COLLECTION = "client_referrals";

    public record StatusChange(ReferralStatus status, Instant at, String by, Sealed note) {
    }

    /** A compliance officer's review of an emergency override, its notes sealed. */
    public record Review(ReviewOutcome outcome, Instant at, String by, Sealed notes) {
    }
}
