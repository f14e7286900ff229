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
 * A clinic administrator asked for the client's erasure (DESIGN §6b); a compliance officer other than them must approve
 * it before anything is erased.
 *
 * @param legalBasis the ground it is asked on, a short reference in clear ({@code GDPR Art. 17(1)(b)})
 * @param reason     why, in the requester's words, sealed: it becomes unreadable with the erasure
 */
@EventType(name = "stillpoint.consent.erasure-requested", revision = 1)
public record ErasureRequested(
        ClientId clientId,
        UUID requestId,
        OrganisationId organisationId,
        ClinicId clinicId,
        String legalBasis,
        @Sensitive Sealed reason,
        Instant requestedAt,
        Actor requestedBy) implements OrganisationEvent {
}
