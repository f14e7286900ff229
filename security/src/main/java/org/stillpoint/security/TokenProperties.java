package org.stillpoint.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Which tokens are trusted: {@code stillpoint.security.*}. A token must be signed by a key of the JWKS, name the issuer,
 * and list the audience.
 *
 * @param issuer      the {@code iss} every token must carry
 * @param jwkSetUri   where the issuer's public keys are published
 * @param audience    the {@code aud} every token must list
 * @param clockSkew   tolerated clock difference for {@code exp} and {@code nbf}
 * @param publicPaths paths answered without a token (health probes, API documents; the parts of a client's copy, which
 *                    need a copy grant instead, checked by the part's controller)
 * @param maxBodySize the largest request body a service accepts (64 KB), also when called past the gateway
 * @param rateLimit   what one token subject may ask of one instance ({@link RateLimit})
 */
@ConfigurationProperties("stillpoint.security")
public record TokenProperties(String issuer, String jwkSetUri, String audience, Duration clockSkew,
                              List<String> publicPaths, DataSize maxBodySize, RateLimit rateLimit) {

    public TokenProperties {
        audience = audience == null ? "stillpoint" : audience;
        clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
        maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(64) : maxBodySize;
        rateLimit = rateLimit == null ? new RateLimit(60, 20, 16) : rateLimit;
        publicPaths = publicPaths == null ? List.of("/actuator/health/liveness", "/actuator/health/readiness",
                                                    "/v3/api-docs", "/v3/api-docs/**", "/error",
                                                    "/.well-known/jwks.json", "/copies/*/*")
                : List.copyOf(publicPaths);
    }

    /**
     * Per token subject and instance: {@code burst} requests at once, refilled at {@code perSecond}, and at most
     * {@code concurrent} in flight.
     */
    public record RateLimit(@DefaultValue("60") int burst, @DefaultValue("20") double perSecond,
                            @DefaultValue("16") int concurrent) {

        public RateLimit {
            if (burst < 1 || perSecond < 0 || concurrent < 1) {
                throw new IllegalArgumentException("stillpoint.security.rate-limit: burst and concurrent must be at "
                                                           + "least 1, per-second not negative");
            }
        }
    }
}
