package org.stillpoint.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
 */
@ConfigurationProperties("stillpoint.security")
public record TokenProperties(String issuer, String jwkSetUri, String audience, Duration clockSkew,
                              List<String> publicPaths) {

    public TokenProperties {
        audience = audience == null ? "stillpoint" : audience;
        clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
        publicPaths = publicPaths == null ? List.of("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                                    "/v3/api-docs", "/v3/api-docs/**", "/error")
                : List.copyOf(publicPaths);
    }
}
