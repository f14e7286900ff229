package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.ClientId;

import java.time.Instant;
import java.util.UUID;

/** Hold the copy until a clinic administrator decides on the session notes (the organisation does not show them). */
public record ReferCopyNotes(@TargetAggregateIdentifier ClientId clientId, UUID requestId, Instant at) {
}
