package org.stillpoint.delivery.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * How delivery-service delivers (application.yml, {@code stillpoint.delivery}).
 *
 * @param retryFor      how long an endpoint that fails every attempt is retried before its subscription is paused
 * @param allowedHosts  the hosts an endpoint may name; empty: any public host
 * @param allowLoopback whether an endpoint may be on this machine (the local profile's receivers)
 * @param allowHttp     whether an endpoint may be plain {@code http} (the local profile)
 */
@ConfigurationProperties("stillpoint.delivery")
public record DeliveryProperties(@DefaultValue("P1D") Duration retryFor, @DefaultValue("5s") Duration firstWait,
                                 @DefaultValue("1h") Duration longestWait,
                                 @DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration timeout,
                                 @DefaultValue("512") int answerKept, List<String> allowedHosts,
                                 @DefaultValue("false") boolean allowLoopback, @DefaultValue("false") boolean allowHttp,
                                 @DefaultValue("2s") Duration refreshEvery) {

    public DeliveryProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }
}
