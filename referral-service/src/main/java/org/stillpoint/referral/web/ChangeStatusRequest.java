package org.stillpoint.referral.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.stillpoint.contracts.referral.ReferralStatus;

/** The body of {@code POST …/referrals/{referralId}/status}. */
record ChangeStatusRequest(@NotNull ReferralStatus status, @Size(max = 2000) String note) {
}
