package org.stillpoint.session.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/** Sign a session's note, locking it. */
public record SignNote(@TargetAggregateIdentifier SessionId sessionId, ClientId clientId, Instant at, Actor actor) {
}
