package org.stillpoint.session.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/** Replace the draft note of a session that is not signed yet. */
public record ReviseNote(@TargetAggregateIdentifier SessionId sessionId, ClientId clientId, NoteText notes, Instant at,
                         Actor actor) {
}
