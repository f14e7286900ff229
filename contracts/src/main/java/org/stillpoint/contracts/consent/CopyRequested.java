package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.UUID;

/**
 * The client asked for a copy of their record (HIPAA 164.524, GDPR Art. 15 and 20), in their own view or on paper
 * recorded by a clinic administrator; it is due by {@code dueBy}, the organisation's time limit after it was received.
 *
 * @param receivedAt when the organisation received the request: now in the client's view, the letter's day on paper
 * @param dueBy      when the copy is owed by
 * @param recordedBy the client (in their view) or the clinic administrator who recorded a request made on paper
 */
@EventType(name = "stillpoint.consent.copy-requested", revision = 1)
public record CopyRequested(
        ClientId clientId,
        UUID requestId,
        OrganisationId organisationId,
        ClinicId clinicId,
        CopyChannel channel,
        Instant receivedAt,
        Instant dueBy,
        Instant recordedAt,
        Actor recordedBy) implements OrganisationEvent {
}
