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
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The append-only hash chains over every event the audit receives, one per organisation. Each link holds the event as
 * published and its hash, and is chained to the organisation's link before; an event id seen again is not appended
 * twice. An event whose client's organisation the audit has not read yet (its registration is on another topic, read
 * later) waits in {@code ledger_pending} and is linked, in the order it arrived, once the organisation is known.
 * <p>
 * Safe with any number of audit instances, without transactions: an event is first claimed by its id (a unique insert
 * into {@code ledger_ids}: a second claim of the same id is a redelivery, or a conflict when its content differs); the
 * link is then inserted at its chain's next index, whose {@code _id} ({@code <organisation>/<index>}) is unique — an
 * instance that loses that race reloads the head and links after the winner. So no index is used twice, no chain
 * forks, and a claim whose link was not written (a crash between the two) is completed when the event is delivered
 * again.
 */
public class Ledger {

    /** What appending an event did. */
    public enum Outcome {
        APPENDED,
        /** The organisation is not known yet: kept to be linked once it is. */
        PENDING,
        /** The same event delivered again: nothing appended. */
        REDELIVERED,
        /** An event id seen before with other content: nothing appended, reported as a finding. */
        CONFLICTING
    }

    private static final int MAX_RACES = 1_000;
    /** A claim older than this whose link was never written belongs to an instance that died. */
    private static final Duration STALE = Duration.ofSeconds(30);
    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(10);

    /** Where an organisation's chain ends, as this instance last saw it. */
    private record Head(long next, String hash) {
    }

    private final MongoTemplate mongo;
    private final String owner = UUID.randomUUID().toString();
    private final Map<String, Head> heads = new HashMap<>();

    public Ledger(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * Appends the event to its organisation's chain unless its id is in the ledger already, or keeps it waiting when the
     * organisation is not known yet ({@link #linkWaiting} links it once it is).
     *
     * @param organisationId the chain: the client's organisation, {@link LedgerEntry#OPERATIONS} for an act that
     *                       names no client, or null when the client's organisation is not known yet
     * @param clientId       the client the event is about, if any
     */
    public synchronized Outcome append(String eventId, String organisationId, String clientId, String topic,
                                       int partition, long offset, Map<String, String> headers, String value) {
        String eventHash = eventHash(headers, value);
        if (organisationId == null) {
            return pending(eventId, clientId, topic, partition, offset, headers, value, eventHash);
        }
        return link(eventId, organisationId, topic, partition, offset, headers, value, eventHash);
    }

    /** Links the client's events that were waiting for its organisation, in the order they arrived. */
    public synchronized void linkWaiting(String clientId, String organisationId) {
        List<Document> waiting = mongo.find(Query.query(Criteria.where("clientId").is(clientId)), Document.class,
                                            LedgerEntry.PENDING);
        waiting.sort(Comparator.comparing((Document d) -> d.getDate("arrivedAt"))
                               .thenComparing(d -> d.getString("_id")));
        for (Document event : waiting) {
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) (Map<?, ?>) event.get("headers", Document.class);
            link(event.getString("_id"), organisationId, event.getString("topic"), event.getInteger("partition"),
                 event.getLong("offset"), headers, event.getString("value"), event.getString("eventHash"));
            mongo.remove(Query.query(Criteria.where("_id").is(event.getString("_id"))), LedgerEntry.PENDING);
        }
    }

    private Outcome pending(String eventId, String clientId, String topic, int partition, long offset,
                            Map<String, String> headers, String value, String eventHash) {
        Document known = mongo.findById(eventId, Document.class, LedgerEntry.IDS);
        if (known == null) {
            known = mongo.findById(eventId, Document.class, LedgerEntry.PENDING);
        }
        if (known != null) {
            return eventHash.equals(known.getString("eventHash")) ? Outcome.REDELIVERED : Outcome.CONFLICTING;
        }
        try {
            mongo.insert(new Document("_id", eventId).append("clientId", clientId).append("topic", topic)
                                                     .append("partition", partition).append("offset", offset)
                                                     .append("headers", new Document(new TreeMap<>(headers)))
                                                     .append("value", value).append("eventHash", eventHash)
                                                     .append("arrivedAt", new Date()), LedgerEntry.PENDING);
            return Outcome.PENDING;
        } catch (DuplicateKeyException e) {
            return Outcome.REDELIVERED;
        }
    }

    /** Links the event into the organisation's chain, once. */
    private Outcome link(String eventId, String organisationId, String topic, int partition, long offset,
                         Map<String, String> headers, String value, String eventHash) {
        Document known = claim(eventId, eventHash, organisationId);
        long waitUntil = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
        while (known != null) {
            if (!eventHash.equals(known.getString("eventHash"))) {
                return Outcome.CONFLICTING;
            }
            if (known.get("hash") != null) {
                return Outcome.REDELIVERED;
            }
            LedgerEntry linked = linkOf(organisationId, eventId);
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
            Head head = head(organisationId, race > 0);
            String hash = linkHash(head.next(), head.hash(), eventHash);
            try {
                mongo.insert(new LedgerEntry(LedgerEntry.idOf(organisationId, head.next()), organisationId, head.next(),
                                             eventId, topic, partition, offset, new TreeMap<>(headers), value,
                                             eventHash, head.hash(), hash));
            } catch (DuplicateKeyException e) {
                // another instance linked at this index first: link after it
                continue;
            }
            index(eventId, head.next(), hash);
            heads.put(organisationId, new Head(head.next() + 1, hash));
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
    private Document claim(String eventId, String eventHash, String organisationId) {
        try {
            mongo.insert(new Document("_id", eventId).append("eventHash", eventHash).append("owner", owner)
                                                     .append("organisationId", organisationId)
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
    private LedgerEntry linkOf(String organisationId, String eventId) {
        Head head = head(organisationId, true);
        for (long index = head.next() - 1; index >= Math.max(0, head.next() - 100); index--) {
            LedgerEntry entry = mongo.findById(LedgerEntry.idOf(organisationId, index), LedgerEntry.class);
            if (entry != null && entry.eventId().equals(eventId)) {
                return entry;
            }
        }
        return null;
    }

    /** The end of the organisation's chain: the first index with no link, from where this instance last saw it. */
    private Head head(String organisationId, boolean again) {
        Head known = heads.get(organisationId);
        if (known != null && !again) {
            return known;
        }
        long index = known == null ? 0 : known.next();
        String hash = LedgerEntry.GENESIS;
        if (index > 0) {
            LedgerEntry before = mongo.findById(LedgerEntry.idOf(organisationId, index - 1), LedgerEntry.class);
            if (before == null) {
                index = 0;
            } else {
                hash = before.hash();
            }
        }
        LedgerEntry entry;
        while ((entry = mongo.findById(LedgerEntry.idOf(organisationId, index), LedgerEntry.class)) != null) {
            hash = entry.hash();
            index++;
        }
        Head head = new Head(index, hash);
        heads.put(organisationId, head);
        return head;
    }

    /** The hash of an event as published: the one {@link Verification} re-computes. */
    public static String eventHash(Map<String, String> headers, String value) {
        return Verification.eventHash(headers, value);
    }

    public static String linkHash(long index, String previousHash, String eventHash) {
        return Verification.linkHash(index, previousHash, eventHash);
    }
}
