package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;

/** Register a client at a clinic. */
public record RegisterClient(@TargetAggregateIdentifier ClientId clientId, OrganisationId organisationId,
                             ClinicId clinicId, PersonalDetails details, Instant at, Actor actor) {
}
