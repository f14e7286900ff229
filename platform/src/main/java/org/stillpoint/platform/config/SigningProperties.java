package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param key          this service's private signing key, an EC P-256 JWK with a kid ({@code STILLPOINT_SIGNING_KEY})
 * @param publishedKeys other public keys this service publishes, a JWK set: during a rotation the next key before it
 *                      signs and the earlier keys after it, so that records signed with them still verify
 *                      ({@code STILLPOINT_SIGNING_PUBLISHED_KEYS})
 * @param jwksUri      where consumers fetch a producing service's keys, {@code {service}} standing for its name
 *                     ({@code STILLPOINT_SIGNING_JWKS_URI}); needed by services that consume
 */
@ConfigurationProperties("stillpoint.signing")
public record SigningProperties(String key, String publishedKeys, String jwksUri) {
}
