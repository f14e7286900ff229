package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The event store's settings.
 *
 * @param gapTimeout        how long a reserved but invisible position is waited for (see the platform README)
 * @param maxGapOffset      how far behind a reader a gap may fall before it is given up
 * @param batchSize         events per fetch, for readers and aggregate loading
 * @param snapshotThreshold events loaded after which an aggregate is snapshotted
 * @param connectTimeout    how long a request waits for the database to be reachable before it is refused as
 *                          retryable (nothing sent); the driver's default of 30 s would hold every request that long
 * @param readTimeout       how long a sent operation waits for its answer before its outcome is reported unknown
 * @param fetchDelay        how long a reader that has caught up waits before it looks in the store again for events
 *                          other instances appended (this instance's own appends wake it at once)
 */
@ConfigurationProperties("stillpoint.event-store")
public record EventStoreProperties(
        @DefaultValue("60s") Duration gapTimeout,
        @DefaultValue("10000") int maxGapOffset,
        @DefaultValue("100") int batchSize,
        @DefaultValue("50") int snapshotThreshold,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("15s") Duration readTimeout,
        @DefaultValue("50ms") Duration fetchDelay) {
}
