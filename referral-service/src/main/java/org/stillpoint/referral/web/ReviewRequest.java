package org.stillpoint.referral.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.stillpoint.contracts.referral.ReviewOutcome;

/** The body of {@code POST …/referrals/{referralId}/review}. */
record ReviewRequest(@NotNull ReviewOutcome outcome, @Size(max = 4000) String notes) {
}
