package org.stillpoint.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.net.URI;

/**
 * {@code stillpoint.gateway.*}: where the services are, and the limits the gateway enforces.
 *
 * @param consentService  consent-service's base address
 * @param sessionService  session-service's base address
 * @param referralService referral-service's base address
 * @param auditService    audit-service's base address
 * @param deliveryService delivery-service's base address
 * @param directoryService directory-service's base address
 * @param maxBodySize     the largest request body let through ({@code 413} above it)
 * @param rateLimit       requests per token subject
 */
@ConfigurationProperties("stillpoint.gateway")
public record GatewayProperties(
        @DefaultValue("http://127.0.0.1:8081") URI consentService,
        @DefaultValue("http://127.0.0.1:8082") URI sessionService,
        @DefaultValue("http://127.0.0.1:8083") URI referralService,
        @DefaultValue("http://127.0.0.1:8084") URI auditService,
        @DefaultValue("http://127.0.0.1:8085") URI deliveryService,
        @DefaultValue("http://127.0.0.1:8086") URI directoryService,
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue RateLimit rateLimit) {

    /**
     * A token bucket per subject: {@code burst} requests at once, refilled at {@code perSecond}.
     */
    public record RateLimit(@DefaultValue("60") int burst, @DefaultValue("20") double perSecond) {
    }
}
