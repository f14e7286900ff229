package org.stillpoint.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
 * @param publicPaths paths answered without a token (health probes, API documents)
 * @param maxBodySize the largest request body a service accepts (64 KB), also when called past the gateway
 */
@ConfigurationProperties("stillpoint.security")
public record TokenProperties(String issuer, String jwkSetUri, String audience, Duration clockSkew,
                              List<String> publicPaths, DataSize maxBodySize) {

    public TokenProperties {
        audience = audience == null ? "stillpoint" : audience;
        clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
        maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(64) : maxBodySize;
        publicPaths = publicPaths == null ? List.of("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                                    "/v3/api-docs", "/v3/api-docs/**", "/error")
                : List.copyOf(publicPaths);
    }
}
