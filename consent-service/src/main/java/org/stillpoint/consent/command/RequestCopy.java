package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.consent.CopyChannel;

import java.time.Instant;
import java.util.UUID;

/**
 * Record the client's request for a copy of their record: made in their view, or on paper and recorded by a clinic
 * administrator; owed by {@code dueBy}.
 */
public record RequestCopy(@TargetAggregateIdentifier ClientId clientId, UUID requestId, CopyChannel channel,
                          Instant receivedAt, Instant dueBy, Instant at, Actor actor) {
}
