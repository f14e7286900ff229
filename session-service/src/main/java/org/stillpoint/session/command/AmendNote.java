package org.stillpoint.session.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/**
 * Amend a signed note.
 *
 * @param section the part of the note concerned, such as {@code observations}; null for the note as a whole
 */
public record AmendNote(@TargetAggregateIdentifier SessionId sessionId, ClientId clientId, String section, String text,
                        String reason, Instant at, Actor actor) {
}
