package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.UUID;

/**
 * The client's organisation does not show session notes to clients: before their copy is produced, a clinic
 * administrator of the client's clinic decides whether this copy holds them ({@link CopyNotesDecided}).
 */
@EventType(name = "stillpoint.consent.copy-notes-referred", revision = 1)
public record CopyNotesReferred(
        ClientId clientId,
        UUID requestId,
        OrganisationId organisationId,
        ClinicId clinicId,
        Instant referredAt) implements OrganisationEvent {
}
