package org.stillpoint.contracts.session;

import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

/**
 * The structured note of a session; only what the client chose to share. Every free-text field is sealed with the
 * client's key.
 *
 * @param clientReported what the client chose to report; absent when they shared nothing
 * @param pacing         pacing and self-regulation: pauses, whether the stop signal was used
 * @param referral       whether a referral was recommended, and why
 */
public record SessionNotes(
        @Sensitive Sealed clientReported,
        @Sensitive Sealed observations,
        @Sensitive Sealed techniques,
        @Sensitive Sealed clientResponse,
        Pacing pacing,
        ReferralRecommendation referral) {

    /** Pacing and self-regulation during the session. */
    public record Pacing(Integer pauses, boolean stopSignalUsed, @Sensitive Sealed notes) {
    }

    /** A referral to another professional, recommended or not. */
    public record ReferralRecommendation(boolean recommended, @Sensitive Sealed reason) {
    }
}
