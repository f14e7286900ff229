package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

import java.time.Instant;
import java.util.UUID;

/**
 * The client was erased (DESIGN §6b): every service destroys its copy of the client's data key — everything sealed for
 * the client becomes unreadable for good — and drops the client's personal data from its read models. Events stay,
 * and so does the audit's ledger, which hashes their sealed form. No write for the client is accepted after it.
 *
 * @param legalBasis    the request's legal ground, in clear
 * @param legalOverride the legal ground for erasing inside the retention period, in clear; null when none was needed
 * @param justification the approver's justification, sealed with the key being shredded: the fact and the grounds
 *                      remain, the words do not
 */
@EventType(name = "stillpoint.consent.client-erased", revision = 1)
public record ClientErased(
        ClientId clientId,
        UUID requestId,
        OrganisationId organisationId,
        ClinicId clinicId,
        String legalBasis,
        String legalOverride,
        @Sensitive Sealed justification,
        Actor requestedBy,
        Actor approvedBy,
        Instant erasedAt) implements OrganisationEvent {
}
