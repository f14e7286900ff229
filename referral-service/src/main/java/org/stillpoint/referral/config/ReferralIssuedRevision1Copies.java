package org.stillpoint.referral.config;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.platform.publication.EarlierRevisions;

import java.time.Instant;
import java.util.List;

/**
 * The deprecation period of {@code stillpoint.referral.issued.v1}: a {@link ReferralIssued} stored before
 * {@code stillpoint.referral.issued-v1-until} also goes to the organisation topics as revision 1, so that a consumer
 * written for revision 1 keeps working through the change. Its recipient contact is empty ({@code email} and
 * {@code phone} null): revision 2 exists to keep the contact out of clear, so the copy does not put it back.
 */
@Component
record ReferralIssuedRevision1Copies(@Value("${stillpoint.referral.issued-v1-until}") Instant until)
        implements EarlierRevisions {

    @Override
    public List<Object> of(Object payload, Instant storedAt) {
        if (!(payload instanceof ReferralIssued issued) || !storedAt.isBefore(until)) {
            return List.of();
        }
        return List.of(revision1(issued));
    }

    static ReferralIssuedRevision1 revision1(ReferralIssued issued) {
        ReferralIssuedRevision1.Recipient recipient = new ReferralIssuedRevision1.Recipient(
                issued.recipient().kind(), issued.recipient().name(), issued.recipient().organisation(),
                new ReferralIssuedRevision1.Contact(null, null));
        return new ReferralIssuedRevision1(issued.clientId(), issued.referralId(), issued.organisationId(),
                                           issued.clinicId(), recipient, issued.urgency(), issued.reason(),
                                           issued.originatingSession(), issued.sharedCategories(), issued.consents(),
                                           issued.consentViewSequence(), issued.emergencyOverride(),
                                           issued.justification(), issued.reviewRequired(), issued.issuedAt(),
                                           issued.issuedBy());
    }
}
