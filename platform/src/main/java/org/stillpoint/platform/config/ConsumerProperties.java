package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How Stillpoint's Kafka consumers treat a failing record, and when their health says they are behind.
 *
 * @param retries    how many times a failing record is tried again before it is parked
 * @param backoff    the wait before the first retry; it doubles up to {@code maxBackoff}
 * @param lagWarning how many records a consumer may be behind on a topic before its health is degraded
 */
@ConfigurationProperties("stillpoint.consumers")
public record ConsumerProperties(@DefaultValue("3") int retries, @DefaultValue("200ms") Duration backoff,
                                 @DefaultValue("5s") Duration maxBackoff, @DefaultValue("1000") long lagWarning) {
}
