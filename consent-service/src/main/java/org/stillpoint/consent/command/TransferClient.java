package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;

import java.time.Instant;
import java.util.List;

/**
 * Move the client to another clinic of their organisation (a clinic admin of the sending or the receiving clinic, who
 * says why and which consents carry over).
 */
public record TransferClient(@TargetAggregateIdentifier ClientId clientId, ClinicId toClinicId, String reason,
                             List<ConsentId> carriedOver, Instant at, Actor actor) {
}
