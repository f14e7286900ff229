package org.stillpoint.referral.web;

import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.ReferralStatus;
import org.stillpoint.contracts.referral.ReviewOutcome;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.referral.command.RecipientDetails;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The JSON the referral endpoints answer with. */
final class ReferralResponses {

    private ReferralResponses() {
    }

    record ReferralCreated(String referralId, ReferralStatus status, boolean emergencyOverride, boolean reviewRequired,
                           List<ConsentReliance> consents) {
    }

    record StatusChange(ReferralStatus status, Instant at, String by, String note) {
    }

    record Referral(String referralId, String clientId, String organisationId, String clinicId, RecipientDetails recipient,
                    Urgency urgency, String reason, String originatingSessionId,
                    Set<InformationCategory> sharedCategories, List<ConsentReliance> consents,
                    long consentViewSequence, boolean emergencyOverride, String emergencyJustification,
                    boolean reviewRequired, Review review, ReferralStatus status, List<StatusChange> history,
                    Instant issuedAt, String issuedBy) {
    }

    /** A compliance officer's review of an emergency override; null on a referral not yet reviewed or not flagged. */
    record Review(ReviewOutcome outcome, Instant at, String by, String notes) {
    }

    record Referrals(String clientId, List<Referral> referrals) {
    }

    /** An organisation's open referrals; no clinical text, for follow-up lists. */
    record OpenReferral(String referralId, String clientId, String clinicId, Urgency urgency, ReferralStatus status,
                        boolean reviewRequired, String recipientName, Instant issuedAt) {
    }

    record OpenReferrals(String organisationId, List<OpenReferral> referrals) {
    }
}
