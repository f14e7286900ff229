package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;

import java.time.Instant;
import java.util.UUID;

/** Ask for the client's erasure (a clinic administrator of the client's clinic); nothing is erased until approved. */
public record RequestErasure(@TargetAggregateIdentifier ClientId clientId, UUID requestId, String legalBasis,
                             String reason, Instant at, Actor actor) {
}
