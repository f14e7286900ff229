package org.stillpoint.delivery.ingest;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a failing endpoint is tried again: waits that double from {@code firstWait} up to {@code longestWait}, each a
 * random point in its second half (jitter, so that endpoints that failed together are not all tried at once), for
 * {@code retryFor} from the first failure; then the subscription is paused.
 */
public record Retry(Duration firstWait, Duration longestWait, Duration retryFor) {

    /** The wait after the {@code failures}-th failed attempt of a message. */
    Duration after(int failures) {
        long doubled = firstWait.toMillis() << Math.min(failures - 1, 30);
        long ceiling = Math.min(Math.max(doubled, firstWait.toMillis()), longestWait.toMillis());
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
