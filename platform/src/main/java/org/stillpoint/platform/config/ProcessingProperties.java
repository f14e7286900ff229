package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the service's event processors (publication and projections) split their work across instances.
 * <p>
 * Each processor is a pooled streaming processor: one reader of the event store per instance, the stream cut into
 * {@code segments} by client id (a client's events stay in order on one segment), each segment claimed in the shared
 * token store by whichever instance is alive. A killed instance stops extending its claims; after {@code claimTimeout}
 * the survivors' next claim round (every {@code claimInterval}) takes its segments over, so a segment is never
 * unprocessed for longer than {@code claimTimeout + claimInterval} (docs/SCALING.md).
 *
 * @param segments      segments of every processor when its tokens are first created (the token store keeps them
 *                      after that; more instances than segments leave the extra ones idle for that processor)
 * @param workerThreads threads per processor that run the segments this instance holds
 * @param claimTimeout  how long a claim lasts without being extended before another instance may take the segment
 * @param claimInterval how often an instance looks for segments nobody holds
 * @param idlePoll      how often a processor that has caught up looks for new events (its reader already has them
 *                      in memory, see {@code stillpoint.event-store.fetch-delay})
 * @param batchSize     events a projection's segment applies before it stores its token: as many as are there, up to
 *                      this; a live write is one event (its answer waits for nothing more), a replay or a catch-up
 *                      stores its token once per batch instead of once per event (B7-full)
 */
@ConfigurationProperties("stillpoint.processing")
public record ProcessingProperties(
        @DefaultValue("4") int segments,
        @DefaultValue("2") int workerThreads,
        @DefaultValue("10s") Duration claimTimeout,
        @DefaultValue("2s") Duration claimInterval,
        @DefaultValue("10ms") Duration idlePoll,
        @DefaultValue("100") int batchSize) {

    public ProcessingProperties {
        if (segments < 1) {
            throw new IllegalArgumentException("stillpoint.processing.segments must be at least 1, was " + segments);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("stillpoint.processing.worker-threads must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("stillpoint.processing.batch-size must be at least 1, was " + batchSize);
        }
        if (!idlePoll.isPositive()) {
            throw new IllegalArgumentException("stillpoint.processing.idle-poll must be positive");
        }
        if (!claimInterval.isPositive() || claimInterval.compareTo(claimTimeout) >= 0) {
            throw new IllegalArgumentException(
                    "stillpoint.processing.claim-interval must be positive and shorter than claim-timeout");
        }
    }
}
