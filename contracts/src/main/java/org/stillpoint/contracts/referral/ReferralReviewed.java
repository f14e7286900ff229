package org.stillpoint.contracts.referral;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

import java.time.Instant;

/**
 * A compliance officer reviewed an emergency referral that went out without information-sharing consent (one flagged
 * {@code reviewRequired}): the review DESIGN §2 promises, once per referral.
 *
 * @param notes      the officer's notes, sealed like other free text; null when none were written
 * @param reviewedBy the compliance officer
 */
@EventType(name = "stillpoint.referral.reviewed", revision = 1)
public record ReferralReviewed(
        ClientId clientId,
        ReferralId referralId,
        ReviewOutcome outcome,
        @Sensitive Sealed notes,
        Instant reviewedAt,
        Actor reviewedBy) implements ClientEvent {
}
