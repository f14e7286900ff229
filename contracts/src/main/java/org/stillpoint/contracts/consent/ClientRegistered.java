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

/**
 * A client was registered at a clinic.
 *
 * @param personalDetails the client's name, date of birth and contact, sealed as one JSON document
 */
@EventType(name = "stillpoint.consent.client-registered", revision = 1)
public record ClientRegistered(
        ClientId clientId,
        OrganisationId organisationId,
        ClinicId clinicId,
        @Sensitive Sealed personalDetails,
        Instant registeredAt,
        Actor registeredBy) implements OrganisationEvent {
}
