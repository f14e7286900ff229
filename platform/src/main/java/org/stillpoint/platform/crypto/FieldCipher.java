package org.stillpoint.platform.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.platform.axon.EventJson;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Seals and opens sensitive text with its client's data key (AES-256-GCM, a fresh 96-bit nonce per value, the key
 * reference bound in as associated data so a value cannot be moved to another client).
 */
public class FieldCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = EventJson.newMapper();
    private final DataKeys keys;

    public FieldCipher(DataKeys keys) {
        this.keys = keys;
    }

    /** Seals {@code plaintext} for {@code client}; {@code null} stays {@code null}. */
    public Sealed seal(ClientId client, String plaintext) {
        if (plaintext == null) {
            return null;
        }
        String reference = DataKeys.reference(client);
        SecretKey key = keys.keyFor(client);
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(reference.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
            return new Sealed(reference, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal a value", e);
        }
    }

    /** Seals a value as JSON: a structured sensitive value (personal details) under one key reference. */
    public Sealed sealJson(ClientId client, Object value) {
        try {
            return seal(client, JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Opens a value sealed by {@link #sealJson}; empty when absent or shredded. */
    public <T> Optional<T> openJson(Sealed sealed, Class<T> type) {
        return open(sealed).map(json -> {
            try {
                return JSON.readValue(json, type);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a sealed " + type.getSimpleName() + " does not read back", e);
            }
        });
    }

    /** The plaintext, or empty when the value is absent or its key was shredded. */
    public Optional<String> open(Sealed sealed) {
        if (sealed == null) {
            return Optional.empty();
        }
        Optional<SecretKey> key = keys.existingKey(sealed.key());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(128, bytes, 0, 12));
            cipher.updateAAD(sealed.key().getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8));
        } catch (AEADBadTagException tampered) {
            throw new IllegalStateException("a sealed value under " + sealed.key() + " fails its integrity check", tampered);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not open a sealed value", e);
        }
    }
}
