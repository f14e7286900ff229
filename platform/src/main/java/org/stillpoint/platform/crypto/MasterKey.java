package org.stillpoint.platform.crypto;

import java.util.Arrays;
import java.util.Base64;

/**
 * The master key a service wraps its clients' data keys with, from configuration ({@code STILLPOINT_MASTER_KEY}). There
 * is no default: a service refuses to start without one, with one that is not 32 bytes of Base64, or — outside the
 * {@code local} profile — with the development key that is in the repository.
 */
public final class MasterKey {

    /** The local profile's key; it wraps nothing anywhere else. */
    static final String DEVELOPMENT = "c3RpbGxwb2ludC1sb2NhbC1kZXYtbWFzdGVyLWtleSE=";
    private static final String SETTING = "STILLPOINT_MASTER_KEY (stillpoint.crypto.master-key)";

    private MasterKey() {
    }

    /**
     * @param local whether the local profile is active, the only one the development key is accepted in
     * @throws IllegalStateException naming the setting, when the key is missing, malformed or the development key
     */
    public static byte[] decode(String configured, boolean local) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(SETTING + " is not set: give every service Base64 of 32 random bytes from "
                                                    + "your secret store, or STILLPOINT_VAULT_URI for Vault Transit "
                                                    + "(deploy/README.md); the service does not start without one");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(SETTING + " is not Base64");
        }
        if (key.length != 32) {
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException(SETTING + " must be 32 bytes (256 bits), Base64-encoded; it is "
                                                    + key.length + " bytes");
        }
        if (!local && DEVELOPMENT.equals(configured.strip())) {
            throw new IllegalStateException(SETTING + " is the development key from the repository; outside the "
                                                    + "local profile set a key of your own");
        }
        return key;
    }
}
