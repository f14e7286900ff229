package org.stillpoint.consentview.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * A service's own view of the consent topic, for consent gating.
 *
 * @param topic the consent topic, {@code stillpoint.consent.v1}; no view when absent
 * @param maxWait how long a decision waits for the view to catch up before it is refused as retryable
 */
@ConfigurationProperties("stillpoint.consent-view")
public record ConsentViewProperties(String topic, @DefaultValue("5s") Duration maxWait) {
}
