package org.stillpoint.platform.command;

import org.stillpoint.platform.problem.Refusal;

import java.time.Duration;
import java.time.Instant;

/**
 * How far from the time of recording a stated time may lie (DESIGN §5): a consent given or a session started longer
 * ago than {@code lateAfter} is a late entry, accepted only with a reason and flagged in the audit, so nothing is
 * backdated silently; a time further from now than {@code horizon}, either way, is refused as a typing error.
 * Configured as {@code stillpoint.entries.late-after} and {@code stillpoint.entries.horizon}.
 */
public record EntryWindows(Duration lateAfter, Duration horizon) {

    public static final EntryWindows DEFAULT = new EntryWindows(Duration.ofHours(24), Duration.ofDays(3660));

    public EntryWindows {
        lateAfter = lateAfter == null ? DEFAULT.lateAfter : lateAfter;
        horizon = horizon == null ? DEFAULT.horizon : horizon;
        if (lateAfter.isNegative() || horizon.compareTo(lateAfter) < 0) {
            throw new IllegalStateException("stillpoint.entries: late-after must be positive and within the horizon");
        }
    }

    /**
     * Whether {@code stated} is a late entry when recorded {@code at}; refused when it lies beyond the horizon in the
     * past, or when it is late and {@code reason} is blank.
     *
     * @param field       the request field of the stated time, named in a refusal
     * @param reasonField the request field of the reason
     */
    public boolean late(Instant stated, Instant at, String reason, String field, String reasonField) {
        if (stated.isBefore(at.minus(horizon))) {
            throw Refusal.unprocessable("beyond-horizon", field, "A time more than " + horizon.toDays()
                    + " days back is not accepted; check the date.");
        }
        boolean late = stated.isBefore(at.minus(lateAfter));
        if (late && (reason == null || reason.isBlank())) {
            throw Refusal.unprocessable("late-entry-reason-missing", reasonField,
                                        "An entry for a time more than " + describe(lateAfter) + " ago is a late entry: "
                                                + "give the reason it is entered now.");
        }
        return late;
    }

    private static String describe(Duration duration) {
        return duration.toHours() % 24 == 0 ? duration.toDays() + " day(s)" : duration.toHours() + " hour(s)";
    }
}
