package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;

import java.time.Instant;

/** Record that a consent has reached its expiry; sent by the expiry check, never by a person. */
public record ExpireConsent(@TargetAggregateIdentifier ClientId clientId, ConsentId consentId, Instant at) {
}
