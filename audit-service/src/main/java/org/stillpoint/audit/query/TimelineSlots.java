package org.stillpoint.audit.query;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.contracts.ClientId;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A client's timeline as numbered places: each entry holds a unique {@link AuditEntry#slot() slot} (its client and its
 * position, in the order the audit received the client's events) and one within its kind, so that any page is read
 * by the slots it covers, point lookups on a unique index on both backends, never a skip over the pages before it.
 * The next free position is read from the client's {@link TimelineHead}; a position another instance took first is
 * refused by the unique index and the entry takes the next one, so positions have no holes and no repeats.
 */
public record TimelineSlots(MongoTemplate mongo) {

    /** A slot taken by another entry is tried again at the next position, at most this many times in a row. */
    private static final int ATTEMPTS = 1_000;

    /**
     * {@code <clientId>#<position>}, the position in ten digits: the index then holds a client's places in their order,
     * a page's slots side by side.
     */
    public static String slot(String clientId, long position) {
        return clientId + "#" + digits(position);
    }

    public static String kindSlot(String clientId, String kind, long position) {
        return clientId + "#" + kind + "#" + digits(position);
    }

    private static String digits(long position) {
        String digits = Long.toString(position);
        return "0".repeat(Math.max(0, 10 - digits.length())) + digits;
    }

    /**
     * Adds the entry to its client's timeline at the next free places, or finds it there already (a redelivery), and
     * grows the client's head to cover it.
     *
     * @return the entry as stored, with its places
     */
    public AuditEntry add(AuditEntry entry, TimelineHead head) {
        return place(entry, head, false);
    }

    /**
     * Gives every entry stored before timelines had places its places, client by client in the order they were
     * recorded; what an earlier, interrupted start did is kept.
     *
     * @return how many entries were placed
     */
    public int placeUnplaced() {
        Query unplaced = Query.query(Criteria.where("slot").exists(false))
                              .with(Sort.by("clientId", "recordedAt", "_id"));
        int placed = 0;
        try (Stream<AuditEntry> entries = mongo.stream(unplaced, AuditEntry.class)) {
            for (AuditEntry entry : (Iterable<AuditEntry>) entries::iterator) {
                place(entry, head(entry.clientId()), true);
                placed++;
            }
        }
        return placed;
    }

    /** The client's head: a point lookup of one field of their document. */
    public TimelineHead head(String clientId) {
        Query query = Query.query(Criteria.where("_id").is(clientId));
        query.fields().include("timeline");
        AuditClient client = mongo.findOne(query, AuditClient.class);
        return client == null || client.timeline() == null ? TimelineHead.EMPTY : client.timeline();
    }

    /**
     * One page of the client's timeline ({@code kind} null), or of their entries of one kind: the slots of the page and
     * one more, to know whether a page follows.
     */
    public TimelinePage page(ClientId clientId, String kind, int page, int size) {
        long from = (long) page * size;
        String client = clientId.toString();
        List<String> slots = LongStream.rangeClosed(from, from + size)
                                       .mapToObj(p -> kind == null ? slot(client, p) : kindSlot(client, kind, p))
                                       .toList();
        ToLongFunction<AuditEntry> order = kind == null ? AuditEntry::position : AuditEntry::kindPosition;
        List<AuditEntry> entries = mongo.find(Query.query(Criteria.where(kind == null ? "slot" : "kindSlot").in(slots)),
                                              AuditEntry.class)
                                        .stream().sorted(Comparator.comparingLong(order)).toList();
        boolean more = entries.size() > size;
        return new TimelinePage(more ? entries.subList(0, size) : entries, page, size, more);
    }

    private AuditEntry place(AuditEntry entry, TimelineHead head, boolean stored) {
        long position = head.count();
        long kindPosition = head.count(entry.kind());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            AuditEntry placed = entry.placed(position, kindPosition);
            try {
                if (written(placed, stored)) {
                    grow(placed);
                    return placed;
                }
            } catch (DuplicateKeyException taken) {
                // a place another entry took first (by another instance, or before the head grew), or this entry
                // itself, already stored
            }
            AuditEntry there = mongo.findById(entry.eventId(), AuditEntry.class);
            if (there != null && there.slot() != null) {
                // already on the timeline (a redelivery, a rebuild, or a crash before its head grew): it keeps its
                // places, what it says is written again if it changed, and the head covers it
                AuditEntry again = entry.placed(there.position(), there.kindPosition());
                if (!again.equals(there)) {
                    mongo.findAndReplace(Query.query(Criteria.where("_id").is(there.eventId())), again);
                }
                grow(again);
                return again;
            }
            stored = there != null;
            if (taken("slot", placed.slot())) {
                position++;
            }
            if (taken("kindSlot", placed.kindSlot())) {
                kindPosition++;
            }
            TimelineHead now = head(entry.clientId());
            position = Math.max(position, now.count());
            kindPosition = Math.max(kindPosition, now.count(entry.kind()));
        }
        throw new IllegalStateException("no free place on the timeline of " + entry.clientId() + " after " + ATTEMPTS
                                                + " attempts, from position " + position);
    }

    /** Stores the placed entry: a new one inserted, a stored one given its places if it has none yet. */
    private boolean written(AuditEntry placed, boolean stored) {
        if (!stored) {
            mongo.insert(placed);
            return true;
        }
        return mongo.findAndReplace(Query.query(Criteria.where("_id").is(placed.eventId()).and("slot").exists(false)),
                                    placed, FindAndReplaceOptions.none()) != null;
    }

    private boolean taken(String field, String slot) {
        return mongo.exists(Query.query(Criteria.where(field).is(slot)), AuditEntry.class);
    }

    /** The head covers the entry: {@code $max} and {@code $addToSet}, so a late or repeated update never shrinks it. */
    private void grow(AuditEntry entry) {
        Update update = new Update().max("timeline.count", entry.position() + 1)
                                    .max("timeline.kinds." + entry.kind(), entry.kindPosition() + 1)
                                    .max("timeline.last", entry.recordedAt());
        if (entry.service() != null) {
            update.addToSet("timeline.services", entry.service());
        }
        if (entry.actor() != null) {
            update.addToSet("timeline.actors", entry.actor());
        }
        mongo.upsert(Query.query(Criteria.where("_id").is(entry.clientId())), update, AuditClient.class);
    }
}
