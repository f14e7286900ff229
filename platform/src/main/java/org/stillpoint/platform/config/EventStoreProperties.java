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
 */
@ConfigurationProperties("stillpoint.event-store")
public record EventStoreProperties(
        @DefaultValue("60s") Duration gapTimeout,
        @DefaultValue("10000") int maxGapOffset,
        @DefaultValue("100") int batchSize,
        @DefaultValue("50") int snapshotThreshold) {
}
