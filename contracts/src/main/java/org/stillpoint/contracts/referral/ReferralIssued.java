package org.stillpoint.contracts.referral;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A referral was issued: the disclosure record (45 CFR 164.528) — when, to whom, what was shared, and why.
 * <p>
 * Revision 2: the recipient's contact details are sealed ({@link Recipient#contact()}); revision 1
 * ({@link ReferralIssuedRevision1}) carried them in clear. Stored revision-1 events load as revision 2.
 *
 * @param originatingSession the session it came out of, if any
 * @param sharedCategories   exactly which categories of the client's information are disclosed
 * @param consents           the information-sharing consent it relied on; empty for an emergency override
 * @param emergencyOverride  issued as an emergency without information-sharing consent
 * @param justification      why the emergency could not wait for consent, sealed; present exactly with the override
 * @param reviewRequired     flagged for compliance review
 */
@EventType(name = "stillpoint.referral.issued", revision = 2)
public record ReferralIssued(
        ClientId clientId,
        ReferralId referralId,
        OrganisationId organisationId,
        ClinicId clinicId,
        Recipient recipient,
        Urgency urgency,
        @Sensitive Sealed reason,
        SessionId originatingSession,
        Set<InformationCategory> sharedCategories,
        List<ConsentReliance> consents,
        long consentViewSequence,
        boolean emergencyOverride,
        @Sensitive Sealed justification,
        boolean reviewRequired,
        Instant issuedAt,
        Actor issuedBy) implements OrganisationEvent {

    public ReferralIssued {
        sharedCategories = Set.copyOf(sharedCategories);
        consents = List.copyOf(consents);
    }
}
