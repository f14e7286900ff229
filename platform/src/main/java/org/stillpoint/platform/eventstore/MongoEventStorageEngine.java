package org.stillpoint.platform.eventstore;

import com.mongodb.client.MongoDatabase;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.stillpoint.platform.metrics.CommandStages;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Axon event storage on MongoDB that never loses an event and needs no multi-document transaction, in three parts that
 * can be read and tested apart: {@link Commits} (one command's events as one commit at reserved positions, all or
 * none; an aggregate's stream by its stream keys), {@link TrackedReader} (the processors' read, gap-aware under a
 * {@link GapPolicy}) and {@link Snapshots}. Readers fetch by point lookups ({@code positions $in}, {@code streamKeys
 * $in}), so they stay fast on a server that scans on range queries. This class adapts them to Axon.
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    static final String COMMITS = Commits.COLLECTION;
    static final int READ_AHEAD = TrackedReader.READ_AHEAD;

    private final Commits commits;
    private final Snapshots snapshots;
    private final TrackedReader reader;

    protected MongoEventStorageEngine(Builder builder) {
        super(builder);
        MongoDatabase database = builder.database;
        this.commits = new Commits(database, builder.stages, this::handlePersistenceException);
        this.snapshots = new Snapshots(database);
        this.reader = new TrackedReader(commits.collection(), commits::nextPosition, builder.gapPolicy, builder.ticker);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- appending

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        commits.append(events, serializer);
    }

    /** Writes a commit at positions reserved earlier ({@link Commits#writeCommit}). */
    void writeCommit(long first, List<? extends EventMessage<?>> events, Serializer serializer) {
        commits.writeCommit(first, events, serializer);
    }

    /** Reserves positions without writing them ({@link Commits#reservePositions}): a gap until a commit fills it. */
    long reservePositions(int count) {
        return commits.reservePositions(count);
    }

    long nextPosition() {
        return commits.nextPosition();
    }

    /** One event as a commit stores it (for tools that write the store's documents themselves, like the bench). */
    public static Document entry(DomainEventMessage<?> event, long position, Serializer serializer) {
        return Commits.entry(event, position, serializer);
    }

    // ---------------------------------------------------------------- aggregates and snapshots

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        snapshots.store(snapshot, serializer);
    }

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                   long firstSequenceNumber, int batchSize) {
        return commits.stream(aggregateIdentifier, firstSequenceNumber, batchSize);
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return snapshots.latest(aggregateIdentifier).stream();
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Optional<Long> snapshot = snapshots.sequenceOf(aggregateIdentifier);
        long next = snapshot.map(s -> s + 1).orElse(0L);
        Long last = snapshot.orElse(null);
        while (true) {
            List<? extends DomainEventData<?>> batch = commits.stream(aggregateIdentifier, next, batchSize());
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
        return reader.fetch(lastToken, batchSize);
    }

    /** How many gaps readers of this engine gave up since it started, each counted once (DESIGN §3: never silent). */
    public long givenUpGaps() {
        return reader.givenUpGaps();
    }

    @Override
    public TrackingToken createTailToken() {
        return reader.tail();
    }

    /** The current end of the store, with the positions reserved but not yet visible near it as gaps. */
    @Override
    public TrackingToken createHeadToken() {
        return reader.head(batchSize());
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return reader.at(dateTime, batchSize());
    }

    /** Builds a {@link MongoEventStorageEngine}; the database and the serializers are required. */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private MongoDatabase database;
        private GapPolicy gapPolicy = GapPolicy.DEFAULT;
        private CommandStages stages = CommandStages.unread();
        private LongSupplier ticker = System::nanoTime;

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

        /** The clock gaps are timed by, in nanoseconds: {@link System#nanoTime()}, or a test's own. */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = ticker;
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
