package org.stillpoint.referral.query;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.platform.erasure.ScrubReadModel;

/**
 * An erased client's referrals stay the accounting of disclosures: when, to whom (kind, name, organisation), what
 * categories, under which consent, with which status history. The recipient's contact, the reason, the emergency
 * justification, the status notes and the review's notes leave the view (its outcome stays).
 */
@Component
class ReferralsErasure extends ScrubReadModel<ReferralView> {

    public ReferralsErasure(MongoTemplate mongo) {
        super(mongo, ReferralView.class, ReferralsErasure::scrubbed);
    }

    static ReferralView scrubbed(ReferralView r) {
        Recipient recipient = r.recipient() == null ? null
                : new Recipient(r.recipient().kind(), r.recipient().name(), r.recipient().organisation(), null);
        return new ReferralView(r.referralId(), r.clientId(), r.organisationId(), r.clinicId(), recipient,
                                r.urgency(), null, r.originatingSession(), r.sharedCategories(), r.consents(),
                                r.consentViewSequence(), r.emergencyOverride(), null, r.reviewRequired(),
                                r.status(), r.open(), r.history().stream().map(h -> new ReferralView.StatusChange(
                                        h.status(), h.at(), h.by(), null)).toList(),
                                r.review() == null ? null : new ReferralView.Review(r.review().outcome(),
                                        r.review().at(), r.review().by(), null),
                                r.issuedAt(), r.issuedBy(), r.lastSequence());
    }
}
