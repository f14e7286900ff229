package org.stillpoint.audit.ingest;

import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.stillpoint.audit.query.LedgerEntry;
import org.stillpoint.audit.query.Verification;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The append-only hash chain over every event the audit receives. Each link holds the event as published and its hash,
 * and is chained to the link before; an event id seen again is not appended twice. One writer (the audit listener).
 */
public class Ledger {

    /** What appending an event did. */
    public enum Outcome {
        APPENDED,
        /** The same event delivered again: nothing appended. */
        REDELIVERED,
        /** An event id seen before with other content: nothing appended, reported as a finding. */
        CONFLICTING
    }

    private final MongoTemplate mongo;
    private long next = -1;
    private String head = LedgerEntry.GENESIS;

    public Ledger(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Appends the event unless its id is in the ledger already. */
    public synchronized Outcome append(String eventId, String topic, int partition, long offset,
                                       Map<String, String> headers, String value) {
        String eventHash = eventHash(headers, value);
        Document known = mongo.findById(eventId, Document.class, LedgerEntry.IDS);
        if (known != null) {
            return eventHash.equals(known.getString("eventHash")) ? Outcome.REDELIVERED : Outcome.CONFLICTING;
        }
        loadHead();
        LedgerEntry last = next == 0 ? null : mongo.findById(next - 1, LedgerEntry.class);
        if (last != null && last.eventId().equals(eventId)) {
            // appended before a crash, but not yet indexed by id
            index(eventId, last.index(), last.eventHash(), last.hash());
            return last.eventHash().equals(eventHash) ? Outcome.REDELIVERED : Outcome.CONFLICTING;
        }
        String hash = linkHash(next, head, eventHash);
        mongo.insert(new LedgerEntry(next, eventId, topic, partition, offset, new TreeMap<>(headers), value, eventHash,
                                     head, hash));
        index(eventId, next, eventHash, hash);
        head = hash;
        next++;
        return Outcome.APPENDED;
    }

    /** The ledger hashes of those of {@code eventIds} that are in the ledger, by event id, in one query. */
    public Map<String, String> hashesOf(Collection<String> eventIds) {
        Map<String, String> hashes = new HashMap<>();
        for (Document id : mongo.find(Query.query(Criteria.where("_id").in(eventIds)), Document.class, LedgerEntry.IDS)) {
            hashes.put(id.getString("_id"), id.getString("hash"));
        }
        return hashes;
    }

    private void index(String eventId, long index, String eventHash, String hash) {
        mongo.save(new Document("_id", eventId).append("index", index).append("eventHash", eventHash)
                                               .append("hash", hash), LedgerEntry.IDS);
    }

    /** Finds the end of the chain once: the first index with no link. */
    private void loadHead() {
        if (next >= 0) {
            return;
        }
        long index = 0;
        LedgerEntry entry;
        String hash = LedgerEntry.GENESIS;
        while ((entry = mongo.findById(index, LedgerEntry.class)) != null) {
            hash = entry.hash();
            index++;
        }
        next = index;
        head = hash;
    }

    /** The hash of an event as published: the one {@link Verification} re-computes. */
    public static String eventHash(Map<String, String> headers, String value) {
        return Verification.eventHash(headers, value);
    }

    public static String linkHash(long index, String previousHash, String eventHash) {
        return Verification.linkHash(index, previousHash, eventHash);
    }
}
