package org.stillpoint.referral.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.referral.ReviewOutcome;

import java.time.Instant;

/** Record a compliance officer's review of an emergency referral issued without information-sharing consent. */
public record ReviewReferral(@TargetAggregateIdentifier ReferralId referralId, ClientId clientId, ReviewOutcome outcome,
                             String notes, Instant at, Actor actor) {
}
