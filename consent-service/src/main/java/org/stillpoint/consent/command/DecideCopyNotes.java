package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;

import java.time.Instant;
import java.util.UUID;

/**
 * Release the session notes for the client's copy, or decide they are not part of it ({@code reason} required then).
 */
public record DecideCopyNotes(@TargetAggregateIdentifier ClientId clientId, UUID requestId, boolean release,
                              String reason, Instant at, Actor actor) {
}
