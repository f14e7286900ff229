package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;

import java.time.Instant;
import java.time.Period;
import java.util.UUID;

/**
 * Approve a pending erasure request and execute it (a compliance officer of the organisation, not its requester).
 *
 * @param retention     how long the client's organisation keeps records after the client's last consent activity
 * @param legalOverride the legal ground for erasing inside the retention period; null when none is given
 */
public record ApproveErasure(@TargetAggregateIdentifier ClientId clientId, UUID requestId, String justification,
                             String legalOverride, Period retention, Instant at, Actor actor) {
}
