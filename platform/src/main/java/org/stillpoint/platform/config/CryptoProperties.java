package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * @param masterKey          Base64 of the 256-bit AES key that wraps every client's data key
 * @param previousMasterKeys master keys of before a rotation: they still open the data keys they wrapped, which the
 *                           service re-wraps with {@code masterKey} at start-up (docs/OPERATIONS.md, "Rotating the
 *                           master key"); empty once every instance has done so
 * @param vault              Vault's Transit engine instead of a master key, when its {@code uri} is set
 */
@ConfigurationProperties("stillpoint.crypto")
public record CryptoProperties(String masterKey, List<String> previousMasterKeys, Vault vault) {

    public CryptoProperties {
        previousMasterKeys = nonBlank(previousMasterKeys);
        vault = vault == null ? new Vault(null, null, null, null, null) : vault;
    }

    /**
     * @param uri                  Vault's address ({@code STILLPOINT_VAULT_URI}); the master key is not used when set
     * @param token                a token allowed to encrypt and decrypt with the Transit key ({@code STILLPOINT_VAULT_TOKEN})
     * @param mount                where the Transit engine is mounted ({@code transit})
     * @param transitKey           the Transit key, created with {@code derived=true} ({@code STILLPOINT_VAULT_TRANSIT_KEY})
     * @param previousTransitKeys  Transit keys of before a rotation, which still open what they wrapped
     */
    public record Vault(String uri, String token, String mount, String transitKey, List<String> previousTransitKeys) {

        public Vault {
            mount = mount == null || mount.isBlank() ? "transit" : mount;
            previousTransitKeys = nonBlank(previousTransitKeys);
        }

        public boolean configured() {
            return uri != null && !uri.isBlank();
        }
    }

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().filter(k -> k != null && !k.isBlank()).toList();
    }
}
