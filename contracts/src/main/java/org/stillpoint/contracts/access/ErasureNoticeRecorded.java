package org.stillpoint.contracts.access;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.referral.RecipientKind;

import java.time.Instant;
import java.util.List;

/**
 * A compliance officer closed a notice owed after a client's erasure (GDPR Art. 19): a recipient the client's data was
 * disclosed to was told of the erasure, or need not be, and why. Everything in it stays in clear after the erasure: the
 * recipient as the accounting of disclosures names them, the referrals that disclosed to them, and a code, never words.
 *
 * @param noticeId  the notice: {@code <clientId>/<recipient's key>}
 * @param referrals the referrals that disclosed the client's data to this recipient
 */
@EventType(name = "stillpoint.access.erasure-notice-recorded", revision = 1)
public record ErasureNoticeRecorded(
        ClientId clientId,
        OrganisationId organisationId,
        String noticeId,
        RecipientKind recipientKind,
        String recipientName,
        String recipientOrganisation,
        List<String> referrals,
        NoticeOutcome outcome,
        Actor recordedBy,
        Instant recordedAt) implements OrganisationEvent {

    public ErasureNoticeRecorded {
        referrals = referrals == null ? List.of() : List.copyOf(referrals);
    }
}
