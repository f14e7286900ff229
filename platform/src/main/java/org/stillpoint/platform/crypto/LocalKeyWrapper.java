package org.stillpoint.platform.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with master keys from the configuration: the current one wraps, it and the previous ones (during a
 * rotation) open. A key's id is {@code local:} and the first 16 hex digits of its SHA-256, so the id says which key
 * without revealing it.
 */
public final class LocalKeyWrapper implements KeyWrapper {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String current;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    /** @param previous master keys of before a rotation, which still open what they wrapped */
    public LocalKeyWrapper(byte[] currentMasterKey, List<byte[]> previous) {
        current = idOf(currentMasterKey);
        keys.put(current, new SecretKeySpec(currentMasterKey, "AES"));
        for (byte[] key : previous) {
            keys.putIfAbsent(idOf(key), new SecretKeySpec(key, "AES"));
        }
    }

    /** The id of a master key. */
    public static String idOf(byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("a master key must be 256 bits (32 bytes), not " + masterKey.length);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(masterKey);
            return "local:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    @Override
    public Set<String> keyIds() {
        return Collections.unmodifiableSet(keys.keySet());
    }

    @Override
    public String wrap(byte[] dataKey, byte[] associatedData) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(128, nonce));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            byte[] wrapped = cipher.doFinal(dataKey);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + wrapped.length).put(nonce).put(wrapped)
                                                                .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not wrap a data key", e);
        }
    }

    @Override
    public byte[] unwrap(String keyId, String wrapped, byte[] associatedData) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("the data key was wrapped by master key " + keyId
                                                    + ", which is not configured here (STILLPOINT_MASTER_KEY, "
                                                    + "STILLPOINT_PREVIOUS_MASTER_KEYS)");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(wrapped);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            return cipher.doFinal(bytes, 12, bytes.length - 12);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the data key does not open with master key " + keyId
                                                    + ": altered, or bound to another client or service", e);
        }
    }
}
