package org.stillpoint.platform.eventstore;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.stillpoint.platform.metrics.CommandStages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import static org.axonframework.eventhandling.EventUtils.asDomainEventMessage;

/**
 * The write side of the store, and an aggregate's own stream: one command's events are one <em>commit</em> document at
 * positions reserved with a single {@code $inc} on a counter, so they are stored all or none; the commit's
 * {@code positions} and {@code streamKeys} ({@code aggregateId/sequence}) carry unique multikey indexes, the second
 * being the optimistic concurrency check. An aggregate's events are read back by point lookups on their stream keys.
 */
final class Commits {

    static final String COLLECTION = "events";
    static final String COUNTERS = "event_positions";
    private static final String GLOBAL = "global";
    private static final int MAX_RESERVATIONS = 10;

    private final MongoCollection<Document> commits;
    private final MongoCollection<Document> counters;
    private final CommandStages stages;
    /** What the engine does with a failed insert: Axon's resolution into a concurrency or store exception. */
    private final BiConsumer<Exception, EventMessage<?>> failed;
    private final Object reservations = new Object();

    Commits(MongoDatabase database, CommandStages stages, BiConsumer<Exception, EventMessage<?>> failed) {
        this.commits = database.getCollection(COLLECTION).withWriteConcern(WriteConcern.MAJORITY.withJournal(true));
        this.counters = database.getCollection(COUNTERS).withWriteConcern(WriteConcern.MAJORITY.withJournal(true));
        this.stages = stages;
        this.failed = failed;
        commits.createIndex(Indexes.ascending("positions"), new IndexOptions().unique(true).name("unique_positions"));
        commits.createIndex(Indexes.ascending("streamKeys"),
                            new IndexOptions().unique(true).sparse(true).name("unique_stream_keys"));
    }

    /** The commits, for the readers. */
    MongoCollection<Document> collection() {
        return commits;
    }

    /** Reserves positions for {@code events} and writes them as one commit; reserves anew if another writer took them. */
    void append(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                long first = stages.time(CommandStages.Stage.RESERVE, () -> reservePositions(events.size()));
                writeCommit(first, events, serializer);
                return;
            } catch (PositionsTaken taken) {
                // another writer was handed the same positions (a server whose $inc is not atomic): reserve anew;
                // what was reserved here and not taken stays a gap
                if (attempt == MAX_RESERVATIONS) {
                    throw new EventStoreException("no free positions after " + attempt + " reservations", taken);
                }
            }
        }
    }

    /** Writes a commit at positions reserved earlier: all its events become visible at once, or none do. */
    void writeCommit(long first, List<? extends EventMessage<?>> events, Serializer serializer) {
        List<Long> positions = new ArrayList<>(events.size());
        List<String> streamKeys = new ArrayList<>(events.size());
        List<Document> entries = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            long position = first + i;
            DomainEventMessage<?> event = asDomainEventMessage(events.get(i));
            positions.add(position);
            if (event.getType() != null) {
                streamKeys.add(streamKey(event.getAggregateIdentifier(), event.getSequenceNumber()));
            }
            entries.add(entry(event, position, serializer));
        }
        Document commit = new Document("_id", first)
                .append("positions", positions)
                .append("committedAt", new Date());
        if (!streamKeys.isEmpty()) {
            commit.append("streamKeys", streamKeys);
        }
        commit.append("events", entries);
        try {
            stages.time(CommandStages.Stage.INSERT, () -> commits.insertOne(commit));
        } catch (MongoWriteException e) {
            if (positionTaken(e)) {
                throw new PositionsTaken(e);
            }
            failed.accept(e, conflicting(events, streamKeys));
        } catch (RuntimeException e) {
            failed.accept(e, conflicting(events, streamKeys));
        }
        AppendedPositions appended = AppendedPositions.ofCurrentUnitOfWork();
        appended.appended(first + events.size() - 1);
        for (EventMessage<?> event : events) {
            if (event instanceof DomainEventMessage<?> domain && domain.getType() != null) {
                appended.appendedSequence(domain.getSequenceNumber());
            }
        }
    }

    /** One event as a commit stores it: its position, identity, aggregate, time and serialized payload. */
    static Document entry(DomainEventMessage<?> event, long position, Serializer serializer) {
        Document entry = new Document("position", position);
        entry.putAll(serialized(event, serializer));
        return entry;
    }

    /** An event's identity, aggregate, time and serialized payload and metadata, as commits and snapshots keep them. */
    static Document serialized(DomainEventMessage<?> event, Serializer serializer) {
        SerializedObject<String> payload = event.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = event.serializeMetaData(serializer, String.class);
        return new Document("eventId", event.getIdentifier())
                .append("aggregateType", event.getType())
                .append("aggregateId", event.getAggregateIdentifier())
                .append("sequence", event.getSequenceNumber())
                .append("timestamp", event.getTimestamp().toString())
                .append("payloadType", payload.getType().getName())
                .append("payloadRevision", payload.getType().getRevision())
                .append("payload", payload.getData())
                .append("metaData", metaData.getData());
    }

    /**
     * The entries of each commit found, each commit once: the embedded server answers a commit once per value of a
     * multikey index ({@code positions}, {@code streamKeys}) it matched.
     */
    static List<Document> entriesOf(Iterable<Document> found) {
        List<Document> entries = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (Document commit : found) {
            if (seen.add(commit.get("_id"))) {
                entries.addAll(commit.getList("events", Document.class));
            }
        }
        return entries;
    }

    /** An entry of a commit as Axon reads it. */
    static DomainEventData<String> domainEntry(Document entry) {
        return new GenericDomainEventEntry<>(
                entry.getString("aggregateType"), entry.getString("aggregateId"), entry.getLong("sequence"),
                entry.getString("eventId"), entry.getString("timestamp"), entry.getString("payloadType"),
                entry.getString("payloadRevision"), entry.getString("payload"), entry.getString("metaData"));
    }

    /** The event whose stream key was taken already, so the refusal names the aggregate that really conflicted. */
    private EventMessage<?> conflicting(List<? extends EventMessage<?>> events, List<String> streamKeys) {
        if (streamKeys.isEmpty()) {
            return events.getFirst();
        }
        Set<String> taken = new HashSet<>();
        for (Document commit : commits.find(Filters.in("streamKeys", streamKeys)).projection(new Document("streamKeys", 1))) {
            taken.addAll(commit.getList("streamKeys", String.class));
        }
        for (EventMessage<?> event : events) {
            DomainEventMessage<?> domainEvent = asDomainEventMessage(event);
            if (taken.contains(streamKey(domainEvent.getAggregateIdentifier(), domainEvent.getSequenceNumber()))) {
                return event;
            }
        }
        return events.getFirst();
    }

    /**
     * Reserves {@code count} consecutive positions and returns the first; a failed insert leaves them a gap.
     * Reservations of this engine are serialized: the embedded MongoDB-wire server does not apply concurrent
     * {@code $inc}s atomically. Two first upserts racing on a new counter may collide on its {@code _id}; the loser
     * retries.
     */
    long reservePositions(int count) {
        synchronized (reservations) {
            for (int attempt = 1; ; attempt++) {
                try {
                    Document counter = counters.findOneAndUpdate(
                            Filters.eq("_id", GLOBAL), Updates.inc("next", (long) count),
                            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
                    return counter.getLong("next") - count;
                } catch (MongoCommandException | MongoWriteException e) {
                    if (!MongoDuplicateKeys.isDuplicateKey(e) || attempt == MAX_RESERVATIONS) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Whether an insert failed because its positions were taken, rather than its aggregate sequence. */
    private static boolean positionTaken(MongoWriteException e) {
        String message = e.getError().getMessage();
        return e.getError().getCode() == 11000 && message != null
                && (message.contains("index: _id_") || message.contains("unique_positions"));
    }

    /** The positions of a commit were handed to another writer too. */
    static final class PositionsTaken extends RuntimeException {
        PositionsTaken(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The next position to be reserved: every position below it has been handed out. */
    long nextPosition() {
        Document counter = counters.find(Filters.eq("_id", GLOBAL)).first();
        return counter == null ? 0 : counter.getLong("next");
    }

    /**
     * The events of an aggregate from {@code firstSequenceNumber}, at most {@code batchSize}, without a hole: point
     * lookups on their stream keys.
     */
    List<DomainEventData<?>> stream(String aggregateIdentifier, long firstSequenceNumber, int batchSize) {
        List<String> keys = new ArrayList<>(batchSize);
        for (long s = firstSequenceNumber; s < firstSequenceNumber + batchSize; s++) {
            keys.add(streamKey(aggregateIdentifier, s));
        }
        List<Document> found = new ArrayList<>();
        for (Document entry : entriesOf(commits.find(Filters.in("streamKeys", keys)))) {
            long sequence = entry.getLong("sequence");
            if (aggregateIdentifier.equals(entry.getString("aggregateId"))
                    && entry.getString("aggregateType") != null
                    && sequence >= firstSequenceNumber && sequence < firstSequenceNumber + batchSize) {
                found.add(entry);
            }
        }
        found.sort(Comparator.comparingLong(e -> e.getLong("sequence")));
        List<DomainEventData<?>> batch = new ArrayList<>(found.size());
        long expected = firstSequenceNumber;
        for (Document entry : found) {
            if (entry.getLong("sequence") != expected) {
                break;
            }
            batch.add(domainEntry(entry));
            expected++;
        }
        return batch;
    }

    static String streamKey(String aggregateId, long sequence) {
        return aggregateId + "/" + sequence;
    }
}
