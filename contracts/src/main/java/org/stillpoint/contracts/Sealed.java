package org.stillpoint.contracts;

import java.util.Objects;

/**
 * A sensitive value encrypted with its client's data key (AES-GCM).
 *
 * @param key        which key sealed it, such as {@code client/6f1c…/1}; shredding that key makes the value unreadable
 * @param ciphertext Base64 of the 12-byte nonce followed by the ciphertext and its tag
 */
public record Sealed(String key, String ciphertext) {

    public Sealed {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @Override
    public String toString() {
        return "Sealed[" + key + "]";
    }
}
