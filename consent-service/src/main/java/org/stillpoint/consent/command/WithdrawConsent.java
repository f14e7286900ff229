package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;

import java.time.Instant;
import java.util.Set;

/**
 * Withdraw some or all of a consent, effective at once.
 *
 * @param scopes the scopes to withdraw; empty means every scope still granted
 */
public record WithdrawConsent(@TargetAggregateIdentifier ClientId clientId, ConsentId consentId,
                              Set<ConsentScope> scopes, String reason, Instant at, Actor actor) {
}
