package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * @param masterKey          Base64 of the 256-bit AES key that wraps every client's data key
 * @param previousMasterKeys master keys of before a rotation: they still open the data keys they wrapped, which the
 *                           service re-wraps with {@code masterKey} at start-up (docs/OPERATIONS.md, "Rotating the
 *                           master key"); empty once every instance has done so
 */
@ConfigurationProperties("stillpoint.crypto")
public record CryptoProperties(String masterKey, List<String> previousMasterKeys) {

    public CryptoProperties {
        previousMasterKeys = previousMasterKeys == null ? List.of()
                : previousMasterKeys.stream().filter(k -> k != null && !k.isBlank()).toList();
    }
}
