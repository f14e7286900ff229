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
 * Revision 1 of {@link ReferralIssued}, which carried the recipient's contact details in clear: records of it may still
 * be on the referral topic from before revision 2, and consumers read them as such (the AsyncAPI document, "Revisions").
 * The organisation topics still carry a copy of each revision-2 event as revision 1, without the contact, until the
 * end of its deprecation period ({@code stillpoint.referral.issued-v1-until}); the referral topic carries revision 2 only.
 */
@EventType(name = "stillpoint.referral.issued", revision = 1)
public record ReferralIssuedRevision1(
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

    /** Revision 1's recipient: the contact in clear. */
    public record Recipient(RecipientKind kind, String name, String organisation, Contact contact) {
    }

    /** Revision 1's contact. */
    public record Contact(String email, String phone) {
    }

    public ReferralIssuedRevision1 {
        sharedCategories = Set.copyOf(sharedCategories);
        consents = List.copyOf(consents);
    }
}
