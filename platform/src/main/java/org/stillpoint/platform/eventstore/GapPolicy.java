package org.stillpoint.platform.eventstore;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a tracking reader waits for a reserved position that is not visible yet.
 * <p>
 * A position is reserved before its commit is written. A commit that is still being written, or that failed (a
 * refused concurrent command, a crash), leaves its positions invisible: a <em>gap</em>. A reader never skips a gap
 * silently: it delivers what is visible after it, remembers the gap in its {@code GapAwareTrackingToken}, and asks
 * for it again on every fetch. A gap still invisible {@code timeout} after this engine first saw it is given up: a
 * commit that slow (or failed) is not waited for any longer. Gaps more than {@code maxOffset} positions behind the
 * reader are given up too, whatever their age.
 *
 * @param timeout   how long a gap is waited for, from the first time a reader of this engine saw it
 * @param maxOffset how far behind its reader's position a gap may fall before it is given up
 */
public record GapPolicy(Duration timeout, int maxOffset) {

    public static final GapPolicy DEFAULT = new GapPolicy(Duration.ofSeconds(60), 10_000);

    public GapPolicy {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || maxOffset < 1) {
            throw new IllegalArgumentException("gap timeout must be >= 0 and max offset >= 1");
        }
    }
}
