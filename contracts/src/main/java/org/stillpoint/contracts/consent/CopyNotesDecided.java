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
 * A clinic administrator released the session notes for the client's copy, or decided they are not part of it — with
 * the reason, which the copy states.
 *
 * @param reason why the notes are not released; null when they are (sealed: it may speak of the client)
 */
@EventType(name = "stillpoint.consent.copy-notes-decided", revision = 1)
public record CopyNotesDecided(
        ClientId clientId,
        UUID requestId,
        OrganisationId organisationId,
        ClinicId clinicId,
        boolean released,
        @Sensitive Sealed reason,
        Instant decidedAt,
        Actor decidedBy) implements OrganisationEvent {
}
