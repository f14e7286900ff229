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
import java.util.List;
import java.util.Optional;

/**
 * Seals and opens sensitive text with its client's data key (AES-256-GCM, a fresh 96-bit nonce per value). The key
 * reference and the field's name ({@code ConsentGranted.boundaries}) are bound in as associated data, so a value cannot
 * be moved to another client nor to another field: opened as any other field it fails its integrity check. A value
 * sealed before fields were bound (the key reference alone as associated data) still opens.
 */
public class FieldCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = EventJson.newMapper();
    private final DataKeys keys;

    public FieldCipher(DataKeys keys) {
        this.keys = keys;
    }

    /** Seals {@code plaintext} for {@code client} as {@code field}; {@code null} stays {@code null}. */
    public Sealed seal(ClientId client, String field, String plaintext) {
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
            cipher.updateAAD(associatedData(reference, field));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
            return new Sealed(reference, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal a value", e);
        }
    }

    /** Seals a value as JSON: a structured sensitive value (personal details) under one key reference. */
    public Sealed sealJson(ClientId client, String field, Object value) {
        try {
            return seal(client, field, JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * What opens the sealed values of one client, and of no other: a value whose key reference names another client
     * (a record or document that was tampered with, or mixed up) is refused, never opened under the key it names.
     */
    public Opener of(ClientId client) {
        return new Opener(client);
    }

    /** As {@link #of(ClientId)}, for a client id as the read models keep it. */
    public Opener of(String client) {
        return new Opener(ClientId.of(client));
    }

    /** The sealed values of one client, opened. */
    public final class Opener {

        private final String prefix;

        private Opener(ClientId client) {
            this.prefix = "client/" + client + "/";
        }

        /** The plaintext of {@code field}, or empty when the value is absent or its key was shredded. */
        public Optional<String> open(Sealed sealed, String field) {
            return FieldCipher.this.open(own(sealed), field);
        }

        /** A value sealed by {@link #sealJson}; empty when absent or shredded. */
        public <T> Optional<T> openJson(Sealed sealed, String field, Class<T> type) {
            return FieldCipher.this.openJson(own(sealed), field, type);
        }

        private Sealed own(Sealed sealed) {
            if (sealed != null && (sealed.key() == null || !sealed.key().startsWith(prefix))) {
                throw new IllegalStateException("a sealed value under key " + sealed.key() + " is read for another "
                                                        + "client (" + prefix + "…): it is not opened");
            }
            return sealed;
        }
    }

    /** Opens a value sealed by {@link #sealJson}; empty when absent or shredded. */
    private <T> Optional<T> openJson(Sealed sealed, String field, Class<T> type) {
        return open(sealed, field).map(json -> {
            try {
                return JSON.readValue(json, type);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a sealed " + type.getSimpleName() + " does not read back", e);
            }
        });
    }

    /** The plaintext of {@code field}, or empty when the value is absent or its key was shredded. */
    private Optional<String> open(Sealed sealed, String field) {
        if (sealed == null) {
            return Optional.empty();
        }
        Optional<SecretKey> key = keys.existingKey(sealed.key());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        // bound to its field; or sealed before fields were bound, under the key reference alone
        AEADBadTagException failure = null;
        for (byte[] associatedData : List.of(associatedData(sealed.key(), field),
                                             sealed.key().getBytes(StandardCharsets.UTF_8))) {
            try {
                return Optional.of(decrypt(key.get(), bytes, associatedData));
            } catch (AEADBadTagException e) {
                failure = e;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not open a sealed value", e);
            }
        }
        throw new IllegalStateException("a sealed value under " + sealed.key() + " fails its integrity check as "
                                                + field, failure);
    }

    private static String decrypt(SecretKey key, byte[] bytes, byte[] associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
        cipher.updateAAD(associatedData);
        return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
    }

    private static byte[] associatedData(String reference, String field) {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("a sealed value needs the name of its field");
        }
        return (reference + "|" + field).getBytes(StandardCharsets.UTF_8);
    }
}
