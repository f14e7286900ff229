package org.stillpoint.contracts.access;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.Set;

/**
 * Somebody read a client's record, or tried to act on it and was refused: the access log (DESIGN §5, §6).
 *
 * @param organisationId the client's organisation
 * @param clinicId       the clinic the client is registered at
 * @param actor          the token's subject
 * @param actorOrganisationId the organisation the caller's token names
 * @param actorClinics   the clinics the caller's token names: where the access came from
 * @param actorRoles     the caller's roles
 * @param resource       what was asked for: method and path, no body; of the query only a point-in-time read's
 *                       moment ({@code asOf}, {@code at}) and an export's {@code format}
 * @param reason         why it was denied ({@code other-clinic}, {@code other-organisation}, {@code role}); null when allowed
 * @param service        the service that answered
 */
@EventType(name = "stillpoint.access.client-accessed", revision = 1)
public record ClientAccessed(
        ClientId clientId,
        OrganisationId organisationId,
        ClinicId clinicId,
        Actor actor,
        OrganisationId actorOrganisationId,
        Set<ClinicId> actorClinics,
        Set<String> actorRoles,
        AccessAction action,
        String resource,
        AccessOutcome outcome,
        String reason,
        String service,
        Instant at) implements OrganisationEvent {

    public ClientAccessed {
        actorClinics = actorClinics == null ? Set.of() : Set.copyOf(actorClinics);
        actorRoles = actorRoles == null ? Set.of() : Set.copyOf(actorRoles);
    }
}
