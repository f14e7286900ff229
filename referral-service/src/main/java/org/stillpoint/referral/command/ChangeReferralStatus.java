package org.stillpoint.referral.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.referral.ReferralStatus;

import java.time.Instant;

/** Move a referral on: acknowledge, complete, decline or cancel it. */
public record ChangeReferralStatus(@TargetAggregateIdentifier ReferralId referralId, ClientId clientId,
                                   ReferralStatus status, String note, Instant at, Actor actor) {
}
