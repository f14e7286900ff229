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
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stillpoint.platform.metrics.CommandStages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.axonframework.eventhandling.EventUtils.asDomainEventMessage;

/**
 * Axon event storage on MongoDB that never loses an event and needs no multi-document transaction.
 * <p>
 * One command's events are one <em>commit</em> document, so they are stored all or none. Global positions are reserved
 * with a single {@code $inc} on a counter before the commit is inserted; the commit's {@code positions} and
 * {@code streamKeys} ({@code aggregateId/sequence}) carry unique multikey indexes, the second being the optimistic
 * concurrency check. Readers fetch by point lookups only ({@code positions $in}, {@code streamKeys $in}), so they stay
 * fast on a server that scans on range queries, and track with {@link GapAwareTrackingToken}s under a {@link GapPolicy}.
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(MongoEventStorageEngine.class);

    static final String COMMITS = "events";
    private static final int MAX_RESERVATIONS = 10;
    /** The fewest positions read at once by a reader that is catching up. */
    static final int READ_AHEAD = 5_000;
    /** The most: half the store, up to this (the entries are held in memory while the reader works through them). */
    private static final int MAX_READ_AHEAD = 20_000;
    /** How long a read-ahead serves its reader; a reader that takes longer reads anew, or by point lookups near the head. */
    private static final long READ_AHEAD_LIFETIME = TimeUnit.SECONDS.toNanos(10);
    /** A reader more than this many positions behind the head is catching up. */
    private static final int CATCH_UP_DISTANCE = READ_AHEAD / 2;
    static final String COUNTERS = "event_positions";
    static final String SNAPSHOTS = "snapshots";
    private static final String GLOBAL = "global";

    private final MongoCollection<Document> commits;
    private final MongoCollection<Document> counters;
    private final MongoCollection<Document> snapshots;
    private final GapPolicy gapPolicy;
    private final CommandStages stages;
    /** When a reader of this engine first found each gap still invisible, in {@link System#nanoTime()}. */
    private final Map<Long, Long> gapFirstSeen = new ConcurrentHashMap<>();
    /** Gaps given up, each counted and logged once (several readers give up the same gap). */
    private final Set<Long> givenUp = ConcurrentHashMap.newKeySet();
    private final AtomicLong givenUpCount = new AtomicLong();
    private final Object reservations = new Object();
    /** Each tracking thread's read-ahead while it catches up. */
    private final ThreadLocal<ReadAhead> readAhead = new ThreadLocal<>();

    protected MongoEventStorageEngine(Builder builder) {
        super(builder);
        MongoDatabase database = builder.database;
        this.commits = database.getCollection(COMMITS).withWriteConcern(WriteConcern.MAJORITY.withJournal(true));
        this.counters = database.getCollection(COUNTERS).withWriteConcern(WriteConcern.MAJORITY.withJournal(true));
        this.snapshots = database.getCollection(SNAPSHOTS);
        this.gapPolicy = builder.gapPolicy;
        this.stages = builder.stages;
        ensureIndexes();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void ensureIndexes() {
        commits.createIndex(Indexes.ascending("positions"), new IndexOptions().unique(true).name("unique_positions"));
        commits.createIndex(Indexes.ascending("streamKeys"),
                            new IndexOptions().unique(true).sparse(true).name("unique_stream_keys"));
    }

    // ---------------------------------------------------------------- appending

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
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
            handlePersistenceException(e, conflicting(events, streamKeys));
        } catch (RuntimeException e) {
            handlePersistenceException(e, conflicting(events, streamKeys));
        }
        AppendedPositions.ofCurrentUnitOfWork().appended(first + events.size() - 1);
    }

    /** One event as a commit stores it: its position, identity, aggregate, time and serialized payload. */
    public static Document entry(DomainEventMessage<?> event, long position, Serializer serializer) {
        SerializedObject<String> payload = event.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = event.serializeMetaData(serializer, String.class);
        return new Document("position", position)
                .append("eventId", event.getIdentifier())
                .append("aggregateType", event.getType())
                .append("aggregateId", event.getAggregateIdentifier())
                .append("sequence", event.getSequenceNumber())
                .append("timestamp", event.getTimestamp().toString())
                .append("payloadType", payload.getType().getName())
                .append("payloadRevision", payload.getType().getRevision())
                .append("payload", payload.getData())
                .append("metaData", metaData.getData());
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

    static String streamKey(String aggregateId, long sequence) {
        return aggregateId + "/" + sequence;
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        Document existing = snapshots.find(Filters.eq("_id", snapshot.getAggregateIdentifier()))
                                     .projection(new Document("sequence", 1)).first();
        if (existing != null && existing.getLong("sequence") >= snapshot.getSequenceNumber()) {
            return;
        }
        SerializedObject<String> payload = snapshot.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = snapshot.serializeMetaData(serializer, String.class);
        Document document = new Document("_id", snapshot.getAggregateIdentifier())
                .append("aggregateType", snapshot.getType())
                .append("sequence", snapshot.getSequenceNumber())
                .append("eventId", snapshot.getIdentifier())
                .append("timestamp", snapshot.getTimestamp().toString())
                .append("payloadType", payload.getType().getName())
                .append("payloadRevision", payload.getType().getRevision())
                .append("payload", payload.getData())
                .append("metaData", metaData.getData());
        snapshots.replaceOne(Filters.eq("_id", snapshot.getAggregateIdentifier()), document,
                             new ReplaceOptions().upsert(true));
    }

    // ---------------------------------------------------------------- aggregates

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                   long firstSequenceNumber, int batchSize) {
        List<String> keys = new ArrayList<>(batchSize);
        for (long s = firstSequenceNumber; s < firstSequenceNumber + batchSize; s++) {
            keys.add(streamKey(aggregateIdentifier, s));
        }
        List<Document> found = new ArrayList<>();
        for (Document commit : commits.find(Filters.in("streamKeys", keys))) {
            for (Document entry : commit.getList("events", Document.class)) {
                long sequence = entry.getLong("sequence");
                if (aggregateIdentifier.equals(entry.getString("aggregateId"))
                        && entry.getString("aggregateType") != null
                        && sequence >= firstSequenceNumber && sequence < firstSequenceNumber + batchSize) {
                    found.add(entry);
                }
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

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        Document snapshot = snapshots.find(Filters.eq("_id", aggregateIdentifier)).first();
        if (snapshot == null) {
            return Stream.empty();
        }
        return Stream.of(new GenericDomainEventEntry<>(
                snapshot.getString("aggregateType"), aggregateIdentifier, snapshot.getLong("sequence"),
                snapshot.getString("eventId"), snapshot.getString("timestamp"), snapshot.getString("payloadType"),
                snapshot.getString("payloadRevision"), snapshot.getString("payload"),
                snapshot.getString("metaData")));
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Document snapshot = snapshots.find(Filters.eq("_id", aggregateIdentifier))
                                     .projection(new Document("sequence", 1)).first();
        long next = snapshot == null ? 0 : snapshot.getLong("sequence") + 1;
        Long last = snapshot == null ? null : snapshot.getLong("sequence");
        while (true) {
            List<? extends DomainEventData<?>> batch = fetchDomainEvents(aggregateIdentifier, next, batchSize());
            if (batch.isEmpty()) {
                return Optional.ofNullable(last);
            }
            last = batch.getLast().getSequenceNumber();
            next = last + 1;
        }
    }

    // ---------------------------------------------------------------- tracking

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        GapAwareTrackingToken token = liveGapsOf(asGapAware(lastToken));
        long next = nextPosition();
        SortedSet<Long> gaps = token.getGaps();
        long from = token.getIndex() + 1;
        List<Document> found = new ArrayList<>();
        Set<Long> wanted = new LinkedHashSet<>(gaps);
        // A window whose positions all failed must not stall the reader: look further until something is found.
        while (true) {
            long to = Math.min(from + batchSize, next);
            ReadAhead ahead = readAhead.get();
            boolean covered = ahead != null && from >= ahead.from() && from < ahead.to()
                    && System.nanoTime() - ahead.readAt() < READ_AHEAD_LIFETIME;
            if (covered || next - from > CATCH_UP_DISTANCE) {
                ahead = covered ? ahead : readAhead(from, next);
                to = Math.min(to, ahead.to());
                found.addAll(ahead.entries().subMap(from, true, to, false).values());
                if (to >= ahead.to()) {
                    // used up: the next fetch reads ahead anew, or by point lookups when it is near the head
                    readAhead.remove();
                }
            } else {
                readAhead.remove();
                for (long p = from; p < to; p++) {
                    wanted.add(p);
                }
            }
            if (!wanted.isEmpty()) {
                collectEntries(wanted, token, found);
            } else if (to <= from) {
                return List.of();
            }
            if (!found.isEmpty() || to >= next) {
                break;
            }
            wanted.clear();
            from = to;
        }
        forgetFilledGaps(gaps, found);
        Map<Long, Document> byPosition = new TreeMap<>();
        found.forEach(entry -> byPosition.putIfAbsent(entry.getLong("position"), entry));
        List<TrackedEventData<?>> batch = new ArrayList<>(byPosition.size());
        GapAwareTrackingToken current = token;
        for (Document entry : byPosition.values()) {
            long position = entry.getLong("position");
            GapAwareTrackingToken advanced = current.advanceTo(position, gapPolicy.maxOffset());
            for (Long gap : current.getGaps()) {
                if (gap != position && !advanced.getGaps().contains(gap)) {
                    givenUp(gap, "more than " + gapPolicy.maxOffset() + " positions behind its reader");
                }
            }
            current = advanced;
            batch.add(new TrackedDomainEventData<>(current, domainEntry(entry)));
        }
        return batch;
    }

    /** How many gaps readers of this engine gave up since it started, each counted once (DESIGN §3: never silent). */
    public long givenUpGaps() {
        return givenUpCount.get();
    }

    private void givenUp(long gap, String why) {
        if (givenUp.add(gap)) {
            givenUpCount.incrementAndGet();
            log.warn("gap at position {} given up: {}; a commit that becomes visible there later is not delivered to "
                             + "readers past it", gap, why);
            if (givenUp.size() > 10_000) {
                givenUp.clear();
            }
        }
    }

    /**
     * The entries of the next positions from {@code from} for a reader far behind the head, from one range query kept
     * for the reader's thread: catching up then costs one query per window instead of one index lookup per position.
     * The window is half the store (at least {@link #READ_AHEAD}, at most {@link #MAX_READ_AHEAD} positions), so
     * that on a server that scans for ranges a whole replay scans the store a bounded number of times. Positions the
     * query did not find are gaps of the reader's token, as with point lookups, and are looked up again as such.
     */
    private ReadAhead readAhead(long from, long next) {
        long window = Math.clamp(next / 2, READ_AHEAD, MAX_READ_AHEAD);
        long to = Math.min(next, from + window);
        NavigableMap<Long, Document> entries = new TreeMap<>();
        for (Document commit : commits.find(Filters.and(Filters.gte("positions", from), Filters.lt("positions", to)))) {
            for (Document entry : commit.getList("events", Document.class)) {
                long position = entry.getLong("position");
                if (position >= from && position < to) {
                    entries.put(position, entry);
                }
            }
        }
        ReadAhead ahead = new ReadAhead(from, to, entries, System.nanoTime());
        readAhead.set(ahead);
        return ahead;
    }

    /** What one range query found for positions {@code [from, to)}, at {@code readAt} ({@link System#nanoTime()}). */
    private record ReadAhead(long from, long to, NavigableMap<Long, Document> entries, long readAt) {
    }

    private void collectEntries(Collection<Long> wanted, GapAwareTrackingToken token, List<Document> found) {
        Set<Object> seenCommits = new HashSet<>();
        for (Document commit : commits.find(Filters.in("positions", wanted))) {
            if (!seenCommits.add(commit.get("_id"))) {
                continue;
            }
            for (Document entry : commit.getList("events", Document.class)) {
                long position = entry.getLong("position");
                if (position > token.getIndex() || token.getGaps().contains(position)) {
                    found.add(entry);
                }
            }
        }
    }

    private static GapAwareTrackingToken asGapAware(TrackingToken token) {
        if (token == null) {
            return GapAwareTrackingToken.newInstance(-1, List.of());
        }
        if (token instanceof GapAwareTrackingToken gapAware) {
            return gapAware;
        }
        throw new IllegalArgumentException("this store tracks with GapAwareTrackingTokens, not " + token.getClass());
    }

    /** The token without the gaps this engine has given up on ({@link GapPolicy}). */
    private GapAwareTrackingToken liveGapsOf(GapAwareTrackingToken token) {
        if (!token.hasGaps()) {
            return token;
        }
        long now = System.nanoTime();
        long timeout = gapPolicy.timeout().toNanos();
        SortedSet<Long> live = new TreeSet<>();
        for (Long gap : token.getGaps()) {
            Long firstSeen = gapFirstSeen.putIfAbsent(gap, now);
            if (firstSeen == null || now - firstSeen <= timeout) {
                live.add(gap);
            } else {
                givenUp(gap, "still invisible after the gap timeout of " + gapPolicy.timeout());
            }
        }
        if (live.size() == token.getGaps().size()) {
            return token;
        }
        return GapAwareTrackingToken.newInstance(token.getIndex(), live);
    }

    private void forgetFilledGaps(SortedSet<Long> gaps, List<Document> found) {
        if (gaps.isEmpty()) {
            return;
        }
        for (Document entry : found) {
            gapFirstSeen.remove(entry.getLong("position"));
        }
        if (gapFirstSeen.size() > 10_000) {
            long horizon = System.nanoTime() - 2 * gapPolicy.timeout().toNanos();
            gapFirstSeen.values().removeIf(firstSeen -> firstSeen < horizon);
        }
    }

    @Override
    public TrackingToken createTailToken() {
        return GapAwareTrackingToken.newInstance(-1, List.of());
    }

    /**
     * The current end of the store. Positions near the end that are reserved but not yet visible are gaps of the
     * head token, so a reader starting at the head does not miss a commit that was being written.
     */
    @Override
    public TrackingToken createHeadToken() {
        long next = nextPosition();
        if (next == 0) {
            return createTailToken();
        }
        long from = Math.max(0, next - batchSize());
        Set<Long> window = new TreeSet<>();
        for (long p = from; p < next; p++) {
            window.add(p);
        }
        for (Document commit : commits.find(Filters.in("positions", window)).projection(new Document("positions", 1))) {
            commit.getList("positions", Long.class).forEach(window::remove);
        }
        window.remove(next - 1);
        return GapAwareTrackingToken.newInstance(next - 1, window);
    }

    /** A token just before the first commit at or after {@code dateTime}; a rare operation that scans commits. */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        Document first = commits.find(Filters.gte("committedAt", Date.from(dateTime)))
                                .sort(Sorts.ascending("_id")).projection(new Document("_id", 1)).first();
        if (first == null) {
            return createHeadToken();
        }
        return GapAwareTrackingToken.newInstance(first.getLong("_id") - 1, List.of());
    }

    private static DomainEventData<String> domainEntry(Document entry) {
        return new GenericDomainEventEntry<>(
                entry.getString("aggregateType"), entry.getString("aggregateId"), entry.getLong("sequence"),
                entry.getString("eventId"), entry.getString("timestamp"), entry.getString("payloadType"),
                entry.getString("payloadRevision"), entry.getString("payload"), entry.getString("metaData"));
    }

    /** Builds a {@link MongoEventStorageEngine}; the database and the serializers are required. */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private MongoDatabase database;
        private GapPolicy gapPolicy = GapPolicy.DEFAULT;
        private CommandStages stages = CommandStages.unread();

        Builder() {
            persistenceExceptionResolver(new MongoDuplicateKeys());
        }

        public Builder database(MongoDatabase database) {
            this.database = database;
            return this;
        }

        /** Where the time of reserving positions and of inserting a commit is counted. */
        public Builder stages(CommandStages stages) {
            this.stages = stages;
            return this;
        }

        public Builder gapPolicy(GapPolicy gapPolicy) {
            this.gapPolicy = gapPolicy;
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(org.axonframework.serialization.upcasting.event.EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        @Override
        protected void validate() {
            super.validate();
            if (database == null) {
                throw new org.axonframework.common.AxonConfigurationException("a MongoDatabase is required");
            }
        }

        public MongoEventStorageEngine build() {
            return new MongoEventStorageEngine(this);
        }
    }
}
