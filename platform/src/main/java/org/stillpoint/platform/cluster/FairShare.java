package org.stillpoint.platform.cluster;

import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many segments of a processor one instance may hold: its fair share, {@code ceil(segments / live instances)}.
 * An instance above its share releases the surplus (the pooled processor does, at its next claim round) so that a new
 * instance gets work; when an instance is gone, the survivors' share grows and they claim its segments once its claims
 * expire.
 */
public class FairShare implements MaxSegmentProvider {

    private final TokenStore tokenStore;
    private final Instances instances;
    private final Clock clock;
    private final Duration remembered;
    private final Map<String, Counted> segments = new ConcurrentHashMap<>();

    /** @param remembered how long a processor's segment count is remembered before it is read from the store again */
    public FairShare(TokenStore tokenStore, Instances instances, Clock clock, Duration remembered) {
        this.tokenStore = tokenStore;
        this.instances = instances;
        this.clock = clock;
        this.remembered = remembered;
    }

    @Override
    public int getMaxSegments(String processingGroup) {
        int total = segments(processingGroup);
        if (total <= 0) {
            return Short.MAX_VALUE;
        }
        int live = Math.max(1, instances.live());
        return Math.max(1, (total + live - 1) / live);
    }

    private int segments(String processingGroup) {
        Counted counted = segments.get(processingGroup);
        if (counted == null || clock.instant().isAfter(counted.until())) {
            try {
                counted = new Counted(tokenStore.fetchSegments(processingGroup).length,
                                      clock.instant().plus(remembered));
            } catch (RuntimeException e) {
                return counted == null ? 0 : counted.segments();
            }
            segments.put(processingGroup, counted);
        }
        return counted.segments();
    }

    private record Counted(int segments, Instant until) {
    }
}
