package org.stillpoint.platform.crypto;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.eventstore.MongoDuplicateKeys;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each client's AES-256 data key, stored in the service's database wrapped (AES-GCM) by the master key. Deleting a
 * client's key ({@link #shred}) makes everything sealed with it unreadable: crypto-shredding.
 */
public class ClientKeys implements DataKeys {

    static final String COLLECTION = "client_keys";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> keys;
    private final SecretKey masterKey;
    private final Map<String, SecretKey> unwrapped = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SecretKey> eldest) {
            return size() > 10_000;
        }
    });

    public ClientKeys(MongoDatabase database, byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 256 bits (32 bytes), not " + masterKey.length);
        }
        this.keys = database.getCollection(COLLECTION);
        this.masterKey = new SecretKeySpec(masterKey, "AES");
    }

    @Override
    public SecretKey keyFor(ClientId client) {
        String ref = DataKeys.reference(client);
        SecretKey cached = unwrapped.get(ref);
        if (cached != null) {
            return cached;
        }
        Optional<SecretKey> existing = load(ref);
        if (existing.isPresent()) {
            return existing.get();
        }
        SecretKey fresh = newDataKey();
        try {
            keys.insertOne(new Document("_id", ref).append("wrapped", wrap(fresh)).append("createdAt", new Date()));
        } catch (RuntimeException e) {
            if (!MongoDuplicateKeys.isDuplicateKey(e)) {
                throw e;
            }
            return load(ref).orElseThrow(() -> new KeyShreddedException(ref));
        }
        unwrapped.put(ref, fresh);
        return fresh;
    }

    @Override
    public Optional<SecretKey> existingKey(String reference) {
        SecretKey cached = unwrapped.get(reference);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            return load(reference);
        } catch (KeyShreddedException shredded) {
            return Optional.empty();
        }
    }

    /** Destroys the client's key; values sealed with it can never be read again. The tombstone keeps it from coming back. */
    public void shred(ClientId client) {
        String ref = DataKeys.reference(client);
        unwrapped.remove(ref);
        keys.replaceOne(Filters.eq("_id", ref), new Document("_id", ref).append("shreddedAt", new Date()),
                        new ReplaceOptions().upsert(true));
    }

    private Optional<SecretKey> load(String reference) {
        Document doc = keys.find(Filters.eq("_id", reference)).first();
        if (doc == null) {
            return Optional.empty();
        }
        if (doc.getString("wrapped") == null) {
            throw new KeyShreddedException(reference);
        }
        SecretKey key = unwrap(doc.getString("wrapped"), reference);
        unwrapped.put(reference, key);
        return Optional.of(key);
    }

    private static SecretKey newDataKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String wrap(SecretKey dataKey) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(128, nonce));
            byte[] wrapped = cipher.doFinal(dataKey.getEncoded());
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + wrapped.length).put(nonce).put(wrapped).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not wrap a data key", e);
        }
    }

    private SecretKey unwrap(String wrapped, String reference) {
        try {
            byte[] bytes = Base64.getDecoder().decode(wrapped);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(128, bytes, 0, 12));
            return new SecretKeySpec(cipher.doFinal(bytes, 12, bytes.length - 12), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the data key " + reference + " does not open with the configured master key", e);
        }
    }

    /** The client's key was shredded: nothing more may be sealed for them. */
    public static final class KeyShreddedException extends IllegalStateException {
        public KeyShreddedException(String reference) {
            super("the key " + reference + " was shredded");
        }
    }
}
