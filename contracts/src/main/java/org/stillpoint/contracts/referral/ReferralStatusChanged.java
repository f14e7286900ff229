package org.stillpoint.contracts.referral;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

import java.time.Instant;

/** A referral moved on in its lifecycle: acknowledged, completed, declined or cancelled. */
@EventType(name = "stillpoint.referral.status-changed", revision = 1)
public record ReferralStatusChanged(
        ClientId clientId,
        ReferralId referralId,
        ReferralStatus from,
        ReferralStatus to,
        @Sensitive Sealed note,
        Instant changedAt,
        Actor changedBy) implements ClientEvent {
}
