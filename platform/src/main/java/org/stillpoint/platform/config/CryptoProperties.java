package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param masterKey Base64 of the 256-bit AES key that wraps every client's data key
 */
@ConfigurationProperties("stillpoint.crypto")
public record CryptoProperties(String masterKey) {
}
