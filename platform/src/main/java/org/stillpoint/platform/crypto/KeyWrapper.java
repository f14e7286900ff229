package org.stillpoint.platform.crypto;

import java.util.Set;

/**
 * Wraps and unwraps clients' data keys with a key the service never stores: the master key (the local implementation,
 * {@link LocalKeyWrapper}) or a key held by a KMS (Vault Transit, a cloud KMS: an implementation of this interface
 * calling its encrypt/decrypt API with the same associated data: {@link VaultTransitKeyWrapper}). Every wrapped key
 * names the key that wrapped it, so a rotation can re-wrap them one by one while both keys open data.
 */
public interface KeyWrapper {

    /** The id of the key that wraps new data keys. */
    String currentKeyId();

    /** The ids of every key that opens data here: the current one first, then those of before a rotation. */
    Set<String> keyIds();

    /** Whether keys other than the current one are configured: a rotation is under way. */
    default boolean rotating() {
        return keyIds().size() > 1;
    }

    /** Whether a data key wrapped by {@code keyId} can be opened here. */
    default boolean opens(String keyId) {
        return keyIds().contains(keyId);
    }

    /**
     * Wraps {@code dataKey} with the current key, bound to {@code associatedData} (it opens only with the same).
     *
     * @return the wrapped key, as text
     */
    String wrap(byte[] dataKey, byte[] associatedData);

    /**
     * Opens a data key wrapped by {@code keyId} with {@code associatedData}.
     *
     * @throws IllegalStateException when the key is unknown here, or the wrapped key or its binding was altered
     */
    byte[] unwrap(String keyId, String wrapped, byte[] associatedData);
}
