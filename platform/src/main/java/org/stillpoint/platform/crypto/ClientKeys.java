package org.stillpoint.platform.crypto;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.eventstore.MongoDuplicateKeys;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each client's AES-256 data key, stored in the service's database wrapped by a {@link KeyWrapper} (the master key, or a
 * KMS), bound to its client and service (associated data), and naming the key that wrapped it. A copied or altered
 * wrapped key does not open. Deleting a client's key ({@link #shred}) makes everything sealed with it unreadable:
 * crypto-shredding. {@link #rewrap} moves every key to the current master key (a rotation, while the old one still
 * opens them).
 */
public class ClientKeys implements DataKeys {

    static final String COLLECTION = "client_keys";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> keys;
    private final KeyWrapper wrapper;
    private final String service;
    private static final long SHREDDED_OVERLAP_MS = 10_000;
    private volatile Date shreddedSeen = new Date(0);
    private final Map<String, SecretKey> unwrapped = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SecretKey> eldest) {
            return size() > 10_000;
        }
    });

    /** @param service the service whose keys these are: a wrapped key opens only in its own service */
    public ClientKeys(MongoDatabase database, KeyWrapper wrapper, String service) {
        // as durable as the events they open: a key lost in a failover would make stored events unreadable
        this.keys = database.getCollection(COLLECTION).withWriteConcern(WriteConcern.MAJORITY.withJournal(true));
        this.wrapper = wrapper;
        this.service = service;
    }

    /**
     * What a rotation did: the keys re-wrapped with the current master key, those that could not be opened (with why),
     * and how many are left not wrapped by the current key.
     */
    public record Rotation(int rewrapped, List<String> failed, long left) {
    }

    /** As {@link #rotate()}: how many keys were re-wrapped. */
    public int rewrap() {
        return rotate().rewrapped();
    }

    /**
     * Re-wraps every data key not wrapped by the current key with the current key — those written before keys were
     * bound and named included — one compare-and-set each (a key changed meanwhile is left to the next run); safe on any
     * number of instances at once. A key that does not open is reported and the rotation goes on with the others.
     */
    public Rotation rotate() {
        int rewrapped = 0;
        List<String> failed = new java.util.ArrayList<>();
        String current = wrapper.currentKeyId();
        for (Document doc : keys.find(Filters.and(Filters.exists("wrapped"), Filters.ne("keyId", current)))) {
            String reference = doc.getString("_id");
            String wrapped = doc.getString("wrapped");
            byte[] key;
            try {
                key = open(doc, reference).getEncoded();
            } catch (RuntimeException e) {
                failed.add(reference + ": " + e.getMessage());
                continue;
            }
            Document moved = new Document("_id", reference).append("wrapped", wrapper.wrap(key, binding(reference)))
                                                           .append("keyId", current)
                                                           .append("createdAt", doc.get("createdAt"))
                                                           .append("rewrappedAt", new Date());
            if (keys.replaceOne(Filters.and(Filters.eq("_id", reference), Filters.eq("wrapped", wrapped)), moved)
                    .getModifiedCount() == 1) {
                rewrapped++;
            }
        }
        return new Rotation(rewrapped, List.copyOf(failed), notYetRewrapped());
    }

    /** How many data keys are not yet wrapped by the current key. */
    public long notYetRewrapped() {
        return keys.countDocuments(Filters.and(Filters.exists("wrapped"), Filters.ne("keyId", wrapper.currentKeyId())));
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
            keys.insertOne(new Document("_id", ref).append("wrapped", wrapper.wrap(fresh.getEncoded(), binding(ref)))
                                                   .append("keyId", wrapper.currentKeyId())
                                                   .append("createdAt", new Date()));
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

    /**
     * Drops from this instance's cache every key another instance shredded since the last call (their tombstones in the
     * shared database), so that no instance keeps an unwrapped copy of a shredded key; the services call it every
     * {@code stillpoint.crypto.shredded-check} (2 s). A key shredded during one call is found by the next: the period
     * looks back one period further than the last call.
     *
     * @return how many cached keys were dropped
     */
    public int forgetShredded() {
        Date now = new Date();
        Date since = new Date(shreddedSeen.getTime() - SHREDDED_OVERLAP_MS);
        int dropped = 0;
        for (Document tombstone : keys.find(Filters.and(Filters.exists("wrapped", false), Filters.gte("shreddedAt", since)))) {
            if (unwrapped.remove(tombstone.getString("_id")) != null) {
                dropped++;
            }
        }
        shreddedSeen = now;
        return dropped;
    }

    /** Whether this instance holds the unwrapped key of {@code reference} in its cache. */
    public boolean cached(String reference) {
        return unwrapped.containsKey(reference);
    }

    private Optional<SecretKey> load(String reference) {
        Document doc = keys.find(Filters.eq("_id", reference)).first();
        if (doc == null) {
            return Optional.empty();
        }
        if (doc.getString("wrapped") == null) {
            throw new KeyShreddedException(reference);
        }
        SecretKey key = open(doc, reference);
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

    /** What a wrapped key is bound to: this service and this client's reference. */
    private byte[] binding(String reference) {
        return ("stillpoint-data-key|" + service + "|" + reference).getBytes(StandardCharsets.UTF_8);
    }

    private SecretKey open(Document doc, String reference) {
        String keyId = doc.getString("keyId");
        if (keyId != null) {
            return new SecretKeySpec(wrapper.unwrap(keyId, doc.getString("wrapped"), binding(reference)), "AES");
        }
        // written before keys were bound and named: by whichever master key was current then, without binding
        RuntimeException last = null;
        for (String candidate : orderedKeyIds()) {
            try {
                return new SecretKeySpec(wrapper.unwrap(candidate, doc.getString("wrapped"), null), "AES");
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("the data key " + reference + " (written before keys were bound) opens with "
                                                + "none of the master keys configured", last);
    }

    /** The current master key first, then the previous ones. */
    private List<String> orderedKeyIds() {
        List<String> ids = new java.util.ArrayList<>(List.of(wrapper.currentKeyId()));
        wrapper.keyIds().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        return ids;
    }

    /** The client's key was shredded: nothing more may be sealed for them. */
    public static final class KeyShreddedException extends IllegalStateException {
        public KeyShreddedException(String reference) {
            super("the key " + reference + " was shredded");
        }
    }
}
