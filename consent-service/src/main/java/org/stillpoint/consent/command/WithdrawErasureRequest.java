package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;

import java.time.Instant;
import java.util.UUID;

/** Withdraw a pending erasure request. */
public record WithdrawErasureRequest(@TargetAggregateIdentifier ClientId clientId, UUID requestId, Instant at,
                                     Actor actor) {
}
