package org.stillpoint.audit.ledger;

import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The append-only hash chain over every event the audit receives. Each link holds the event as published and its hash,
 * and is chained to the link before; an event id seen again is not appended twice.
 * <p>
 * Safe with any number of audit instances, without transactions: an event is first claimed by its id (a unique insert
 * into {@code ledger_ids}: a second claim of the same id is a redelivery, or a conflict when its content differs); the
 * link is then inserted at the head's next index, whose {@code _id} is unique — an instance that loses that race
 * reloads the head and links after the winner. So no index is used twice, the chain never forks, and a claim whose link
 * was not written (a crash between the two) is completed when the event is delivered again.
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

    private static final int MAX_RACES = 1_000;
    /** A claim older than this whose link was never written belongs to an instance that died. */
    private static final Duration STALE = Duration.ofSeconds(30);
    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(10);

    private final MongoTemplate mongo;
    private final String owner = UUID.randomUUID().toString();
    private long next = -1;
    private String head = LedgerEntry.GENESIS;

    public Ledger(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Appends the event unless its id is in the ledger already. */
    public synchronized Outcome append(String eventId, String topic, int partition, long offset,
                                       Map<String, String> headers, String value) {
        String eventHash = eventHash(headers, value);
        Document known = claim(eventId, eventHash);
        long waitUntil = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
        while (known != null) {
            if (!eventHash.equals(known.getString("eventHash"))) {
                return Outcome.CONFLICTING;
            }
            if (known.get("hash") != null) {
                return Outcome.REDELIVERED;
            }
            LedgerEntry linked = linkOf(eventId);
            if (linked != null) {
                // linked, not yet indexed (its claimer died in between, or is about to index it)
                index(eventId, linked.index(), linked.hash());
                return Outcome.REDELIVERED;
            }
            if (stale(known) && takeOver(known)) {
                // its claimer died before linking it: linked now, once
                break;
            }
            if (System.nanoTime() > waitUntil) {
                throw new IllegalStateException("event " + eventId + " is being linked by another instance");
            }
            sleep();
            known = mongo.findById(eventId, Document.class, LedgerEntry.IDS);
        }
        for (int race = 0; race < MAX_RACES; race++) {
            loadHead(race > 0);
            String hash = linkHash(next, head, eventHash);
            try {
                mongo.insert(new LedgerEntry(next, eventId, topic, partition, offset, new TreeMap<>(headers), value,
                                             eventHash, head, hash));
            } catch (DuplicateKeyException e) {
                // another instance linked at this index first: link after it
                continue;
            }
            index(eventId, next, hash);
            head = hash;
            next++;
            return Outcome.APPENDED;
        }
        throw new IllegalStateException("could not link event " + eventId + " after " + MAX_RACES + " races for the head");
    }

    /** The ledger hashes of those of {@code eventIds} that are in the ledger, by event id, in one query. */
    public Map<String, String> hashesOf(Collection<String> eventIds) {
        Map<String, String> hashes = new HashMap<>();
        for (Document id : mongo.find(Query.query(Criteria.where("_id").in(eventIds)), Document.class, LedgerEntry.IDS)) {
            hashes.put(id.getString("_id"), id.getString("hash"));
        }
        return hashes;
    }

    /** Claims the event id; null when claimed now, else what was claimed before. */
    private Document claim(String eventId, String eventHash) {
        try {
            mongo.insert(new Document("_id", eventId).append("eventHash", eventHash).append("owner", owner)
                                                     .append("at", new Date()), LedgerEntry.IDS);
            return null;
        } catch (DuplicateKeyException e) {
            return mongo.findById(eventId, Document.class, LedgerEntry.IDS);
        }
    }

    private static boolean stale(Document claim) {
        Date at = claim.getDate("at");
        return at == null || at.toInstant().plus(STALE).isBefore(Instant.now());
    }

    /** Takes over a dead instance's claim; false when somebody else did first. */
    private boolean takeOver(Document claim) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(claim.get("_id")).and("owner").is(claim.get("owner"))
                                                     .and("hash").is(null)),
                                 new Update().set("owner", owner).set("at", new Date()), LedgerEntry.IDS)
                    .getModifiedCount() == 1;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another instance links an event", e);
        }
    }

    private void index(String eventId, long index, String hash) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(eventId)),
                          new Update().set("index", index).set("hash", hash), LedgerEntry.IDS);
    }

    /** The link of an event, looked for from the head back a little: a crash leaves it at most a few links behind. */
    private LedgerEntry linkOf(String eventId) {
        loadHead(true);
        for (long index = next - 1; index >= Math.max(0, next - 100); index--) {
            LedgerEntry entry = mongo.findById(index, LedgerEntry.class);
            if (entry != null && entry.eventId().equals(eventId)) {
                return entry;
            }
        }
        return null;
    }

    /** Finds the end of the chain: the first index with no link, from where this instance last saw it. */
    private void loadHead(boolean again) {
        if (next >= 0 && !again) {
            return;
        }
        long index = Math.max(next, 0);
        String hash = index == 0 ? LedgerEntry.GENESIS : head;
        if (index > 0) {
            LedgerEntry before = mongo.findById(index - 1, LedgerEntry.class);
            hash = before == null ? LedgerEntry.GENESIS : before.hash();
            if (before == null) {
                index = 0;
            }
        }
        LedgerEntry entry;
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
