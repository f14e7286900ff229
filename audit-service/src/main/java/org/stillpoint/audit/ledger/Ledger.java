package org.stillpoint.audit.ledger;

import org.bson.Document;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.platform.deadletter.DeadLetter;
import org.stillpoint.verifier.EventHash;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * again. A unique index on the links' {@code eventId} makes linking an event twice impossible, whatever happens to the
 * claims: an instance that took over a claim whose owner was only slow loses the insert and reports a redelivery.
 * <p>
 * A claim is taken over when this instance has seen it unchanged for {@value #STALE_SECONDS} seconds by its own clock:
 * the time another instance wrote into the claim is never compared with this one's, so skewed clocks neither take over
 * a live claim early nor stall a dead one.
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
    static final int STALE_SECONDS = 30;
    private static final int OBSERVED_CLAIMS = 10_000;

    /** Where an organisation's chain ends, as this instance last saw it. */
    private record Head(long next, String hash) {
    }

    private final MongoTemplate mongo;
    private final Clock clock;
    private final Duration stale;
    private final Duration inFlightWait;
    private final String owner = UUID.randomUUID().toString();
    private final Map<String, Head> heads = new HashMap<>();
    /** Claims of other instances as this one first saw them, by event id, and when (this instance's nanoTime). */
    private final Map<String, Observed> observed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Observed> eldest) {
            return size() > OBSERVED_CLAIMS;
        }
    };

    private record Observed(Object owner, Object at, long since) {
    }

    public Ledger(MongoTemplate mongo, Clock clock) {
        this(mongo, clock, Duration.ofSeconds(STALE_SECONDS), Duration.ofSeconds(10));
    }

    /**
     * @param stale        how long this instance sees another's claim unchanged before it takes it over
     * @param inFlightWait how long an append waits for another instance's claim before it fails (to be retried)
     */
    Ledger(MongoTemplate mongo, Clock clock, Duration stale, Duration inFlightWait) {
        this.mongo = mongo;
        this.clock = clock;
        this.stale = stale;
        this.inFlightWait = inFlightWait;
        try {
            mongo.indexOps(LedgerEntry.class).createIndex(new Index("eventId", Sort.Direction.ASC).unique()
                                                                  .named("one-link-per-event"));
        } catch (RuntimeException e) {
            // a store that already holds an event twice: the verification reports it; the claims still guard
            LoggerFactory.getLogger(Ledger.class).error("the ledger's unique index on eventId could not be created: {}",
                                                        e.toString());
        }
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
        return link(eventId, organisationId, topic, partition, offset, headers, value, eventHash, EventHash.CURRENT);
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
                 event.getLong("offset"), headers, event.getString("value"), event.getString("eventHash"),
                 versionOf(event));
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
            return same(known, headers, value) ? Outcome.REDELIVERED : conflicting(eventId, known, headers, value);
        }
        try {
            mongo.insert(new Document("_id", eventId).append("clientId", clientId).append("topic", topic)
                                                     .append("partition", partition).append("offset", offset)
                                                     .append("headers", new Document(new TreeMap<>(headers)))
                                                     .append("value", value).append("eventHash", eventHash)
                                                     .append("hashVersion", EventHash.CURRENT)
                                                     .append("organisationId", DeadLetter.organisationNamedBy(
                                                             value == null ? null : value.getBytes(
                                                                     java.nio.charset.StandardCharsets.UTF_8))
                                                             .orElse(null))
                                                     .append("arrivedAt", Date.from(clock.instant())),
                        LedgerEntry.PENDING);
            return Outcome.PENDING;
        } catch (DuplicateKeyException e) {
            return Outcome.REDELIVERED;
        }
    }

    /** Links the event into the organisation's chain, once. */
    private Outcome link(String eventId, String organisationId, String topic, int partition, long offset,
                         Map<String, String> headers, String value, String eventHash, int version) {
        Document known = claim(eventId, eventHash, version, organisationId);
        long waitUntil = System.nanoTime() + inFlightWait.toNanos();
        while (known != null) {
            if (!same(known, headers, value)) {
                return conflicting(eventId, known, headers, value);
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
            if (stale(eventId, known) && takeOver(known)) {
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
                                             eventHash, head.hash(), hash, version));
            } catch (DuplicateKeyException e) {
                LedgerEntry linked = mongo.findOne(Query.query(Criteria.where("eventId").is(eventId)), LedgerEntry.class);
                if (linked != null) {
                    // linked already, by an instance that took this claim over (or whose claim this one took over)
                    index(eventId, linked.index(), linked.hash());
                    observed.remove(eventId);
                    return Outcome.REDELIVERED;
                }
                // another instance linked at this index first: link after it
                continue;
            }
            index(eventId, head.next(), hash);
            observed.remove(eventId);
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
    private Document claim(String eventId, String eventHash, int version, String organisationId) {
        try {
            mongo.insert(new Document("_id", eventId).append("eventHash", eventHash).append("hashVersion", version)
                                                     .append("owner", owner).append("organisationId", organisationId)
                                                     .append("at", Date.from(clock.instant())), LedgerEntry.IDS);
            return null;
        } catch (DuplicateKeyException e) {
            return mongo.findById(eventId, Document.class, LedgerEntry.IDS);
        }
    }

    /**
     * Whether this instance has seen the claim unchanged (same owner, same time stamp) for {@link #stale}, by its own
     * monotonic clock: the claimer's clock is never compared with this one's.
     */
    private boolean stale(String eventId, Document claim) {
        long now = System.nanoTime();
        Observed seen = observed.get(eventId);
        if (seen == null || !Objects.equals(seen.owner(), claim.get("owner")) || !Objects.equals(seen.at(), claim.get("at"))) {
            observed.put(eventId, new Observed(claim.get("owner"), claim.get("at"), now));
            return false;
        }
        return now - seen.since() >= stale.toNanos();
    }

    /**
     * An event id seen before with other content: what differs is logged for the operator — the names of the headers
     * whose values differ from the copy already linked or waiting, and whether the value does — never a value itself.
     */
    private Outcome conflicting(String eventId, Document known, Map<String, String> headers, String value) {
        Map<String, String> before = null;
        String valueBefore = null;
        LedgerEntry linked = mongo.findOne(Query.query(Criteria.where("eventId").is(eventId)), LedgerEntry.class);
        if (linked != null) {
            before = linked.headers();
            valueBefore = linked.value();
        } else if (known.get("headers") instanceof Document waiting) {
            before = new TreeMap<>();
            for (Map.Entry<String, Object> header : waiting.entrySet()) {
                before.put(header.getKey(), String.valueOf(header.getValue()));
            }
            valueBefore = known.getString("value");
        }
        if (before == null) {
            LoggerFactory.getLogger(Ledger.class).warn("event {} arrived again with other content (hash version {}); "
                                                               + "its first copy is not linked yet", eventId,
                                                       versionOf(known));
        } else {
            Set<String> differ = new TreeSet<>();
            Set<String> names = new TreeSet<>(before.keySet());
            names.addAll(headers.keySet());
            for (String name : names) {
                // the signature and its proof are signed anew by each publication: no part of the event's content
                if (!name.equals("ce_signature") && !name.equals("ce_signatureproof")
                        && !Objects.equals(before.get(name), headers.get(name))) {
                    differ.add(name);
                }
            }
            LoggerFactory.getLogger(Ledger.class).warn("event {} arrived again with other content (hash version {}): "
                                                               + "headers that differ {}, value {}", eventId,
                                                       versionOf(known), differ,
                                                       Objects.equals(valueBefore, value) ? "the same" : "differs");
        }
        return Outcome.CONFLICTING;
    }

    /** Whether the event as claimed before is this one: its hash recomputed in the encoding the claim was made in. */
    private static boolean same(Document known, Map<String, String> headers, String value) {
        return EventHash.of(versionOf(known), headers, value).equals(known.getString("eventHash"));
    }

    private static int versionOf(Document claimOrPending) {
        Integer version = claimOrPending.getInteger("hashVersion");
        return version == null ? 1 : version;
    }

    /** Takes over a dead instance's claim; false when somebody else did first. */
    private boolean takeOver(Document claim) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(claim.get("_id")).and("owner").is(claim.get("owner"))
                                                     .and("hash").is(null)),
                                 new Update().set("owner", owner).set("at", Date.from(clock.instant())), LedgerEntry.IDS)
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

    /** The hash of an event as published, in the current encoding: the one {@link Verification} re-computes. */
    public static String eventHash(Map<String, String> headers, String value) {
        return Verification.eventHash(headers, value);
    }

    public static String linkHash(long index, String previousHash, String eventHash) {
        return Verification.linkHash(index, previousHash, eventHash);
    }
}
