package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param lateAfter how long after a consent was given or a session started it may be recorded without being a late
 *                  entry (default 24 h)
 * @param horizon   how far back or ahead a stated time may lie at all (default 3660 days)
 */
@ConfigurationProperties("stillpoint.entries")
public record EntryProperties(Duration lateAfter, Duration horizon) {
}
