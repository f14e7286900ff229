package org.stillpoint.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.audit.ingest.AuditListener;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.audit.query.TimelineFilter;
import org.stillpoint.audit.query.TimelineSlots;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.eventstore.MongoEventStorageEngine;
import org.stillpoint.platform.record.RecordVerifier;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** B1, B3, B7, T1 and B10's store-size rows: the event store against raw MongoDB operations on the same server. */
final class StorageBench {

    private static final int EVENTS_PER_COMMAND = 2;
    private static final int PREFILL_COMMIT = 50;

    private final MongoClient client;
    private final Scale scale;
    private final Rounds rounds;
    private final Serializer serializer = Fixtures.serializer();
    private long rawPosition;

    StorageBench(MongoClient client, Scale scale, Rounds rounds) {
        this.client = client;
        this.scale = scale;
        this.rounds = rounds;
    }

    List<Row> run() {
        List<Row> rows = new ArrayList<>();
        rows.addAll(append());
        rows.addAll(loading());
        rows.addAll(rebuildAndTracking());
        rows.addAll(timelinePages());
        return rows;
    }

    // ------------------------------------------------------------------ B1 and B10 (B1 at 10×)

    private List<Row> append() {
        MongoDatabase small = fresh("b1-small");
        MongoDatabase large = fresh("b1-large");
        MongoEventStorageEngine smallEngine = engine(small);
        MongoEventStorageEngine largeEngine = engine(large);
        prefill(smallEngine, scale.storedEvents());
        prefill(largeEngine, scale.storedEvents() * 10);
        MongoDatabase raw = fresh("b1-raw");
        MongoCollection<Document> rawEvents = rawCollection(raw);
        MongoDatabase extension = fresh("b1-extension");
        EventStorageEngine extensionEngine = extensionEngine(extension);

        Row b1 = rounds.measure("B1", "append through the storage engine, " + EVENTS_PER_COMMAND + " events per command",
                                "raw insertMany of the same event documents, same unique indexes", "events/s",
                                Rounds.Kind.RATE, 0.5,
                                "the engine does one $inc reservation and one insert of the whole commit per command; "
                                        + "the baseline does the insert alone, without serialization",
                                () -> appendRate(smallEngine), () -> rawInsertRate(rawEvents));
        Row b1x = rounds.measure("B1x", "append through the storage engine",
                                 "the Axon Mongo extension's storage engine on the same store", "events/s",
                                 Rounds.Kind.RATE, 1.0, null,
                                 () -> appendRate(smallEngine), () -> appendRate(extensionEngine));
        List<Double> atLarge = new ArrayList<>();
        List<Double> atSmall = new ArrayList<>();
        for (int r = 0; r < rounds.rounds(); r++) {
            atSmall.add(appendRate(smallEngine));
            atLarge.add(appendRate(largeEngine));
        }
        Row b10 = rounds.compare("B10-B1", "append with " + scale.storedEvents() * 10 + " events stored",
                                 "the same with " + scale.storedEvents() + " stored", "events/s", Rounds.Kind.RATE, 0.8,
                                 null, atLarge, atSmall);
        return List.of(b1, b1x, b10, counter(raw));
    }

    /**
     * B13: the event store's position counter, the one document every commit of a service updates ({@code $inc}, as
     * the engine reserves positions), against raw single-document inserts: the ceiling of one service's commits per
     * second on this store (docs/SCALING.md).
     */
    private Row counter(MongoDatabase raw) {
        MongoCollection<Document> counters = raw.getCollection("b13_counters");
        MongoCollection<Document> singles = raw.getCollection("b13_singles");
        int operations = Math.max(200, scale.commands() * 2);
        return rounds.measure("B13", "position reservations: findOneAndUpdate $inc on one counter document, one caller",
                              "raw single-document insert, one caller", "reservations/s", Rounds.Kind.RATE, null,
                              "one reservation per commit: this rate is the ceiling of one service's commits per second "
                                      + "on this store, whatever the number of instances",
                              () -> {
                                  long start = System.nanoTime();
                                  for (int i = 0; i < operations; i++) {
                                      counters.findOneAndUpdate(com.mongodb.client.model.Filters.eq("_id", "global"),
                                              com.mongodb.client.model.Updates.inc("next", 1L),
                                              new com.mongodb.client.model.FindOneAndUpdateOptions().upsert(true)
                                                      .returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
                                  }
                                  return Rounds.perSecond(operations, System.nanoTime() - start);
                              },
                              () -> {
                                  long start = System.nanoTime();
                                  for (int i = 0; i < operations; i++) {
                                      singles.insertOne(new Document("_id", java.util.UUID.randomUUID().toString()));
                                  }
                                  return Rounds.perSecond(operations, System.nanoTime() - start);
                              });
    }

    private double appendRate(EventStorageEngine engine) {
        List<List<DomainEventMessage<?>>> commands = new ArrayList<>(scale.commands());
        for (int i = 0; i < scale.commands(); i++) {
            commands.add(Fixtures.command(Fixtures.newAggregateId(), 0, EVENTS_PER_COMMAND));
        }
        long start = System.nanoTime();
        for (List<DomainEventMessage<?>> command : commands) {
            engine.appendEvents(command);
        }
        return Rounds.perSecond((long) scale.commands() * EVENTS_PER_COMMAND, System.nanoTime() - start);
    }

    private double rawInsertRate(MongoCollection<Document> collection) {
        List<List<Document>> commands = new ArrayList<>(scale.commands());
        for (int i = 0; i < scale.commands(); i++) {
            List<Document> documents = new ArrayList<>(EVENTS_PER_COMMAND);
            for (DomainEventMessage<?> event : Fixtures.command(Fixtures.newAggregateId(), 0, EVENTS_PER_COMMAND)) {
                long position = rawPosition++;
                documents.add(MongoEventStorageEngine.entry(event, position, serializer)
                                      .append("positions", List.of(position))
                                      .append("streamKeys", List.of(event.getAggregateIdentifier() + "/"
                                                                            + event.getSequenceNumber())));
            }
            commands.add(documents);
        }
        long start = System.nanoTime();
        for (List<Document> documents : commands) {
            collection.insertMany(documents);
        }
        return Rounds.perSecond((long) scale.commands() * EVENTS_PER_COMMAND, System.nanoTime() - start);
    }

    // ------------------------------------------------------------------ B3

    private List<Row> loading() {
        MongoDatabase database = fresh("b3");
        MongoEventStorageEngine engine = engine(database);
        EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(engine).build();
        MongoCollection<Document> commits = database.getCollection("events");
        List<Row> rows = new ArrayList<>();
        for (int size : scale.aggregateSizes()) {
            String plain = Fixtures.newAggregateId();
            String snapshotted = Fixtures.newAggregateId();
            for (String aggregate : List.of(plain, snapshotted)) {
                for (int s = 0; s < size; s++) {
                    engine.appendEvents(Fixtures.command(aggregate, s, 1));
                }
            }
            engine.storeSnapshot(new GenericDomainEventMessage<>(Fixtures.AGGREGATE_TYPE, snapshotted, size - 1,
                                                                 Fixtures.snapshot(snapshotted)));
            int loads = Math.max(1, scale.loadsPerRound() * 10 / Math.max(10, size));
            for (boolean withSnapshot : new boolean[]{false, true}) {
                String aggregate = withSnapshot ? snapshotted : plain;
                List<String> keys = new ArrayList<>(size);
                for (int s = 0; s < size; s++) {
                    keys.add(aggregate + "/" + s);
                }
                rows.add(rounds.measure(
                        "B3-" + size + (withSnapshot ? "s" : ""),
                        "load an aggregate of " + size + " events through the event store" + (withSnapshot ? ", snapshot at the last" : ""),
                        "raw find of the same " + size + " events", "µs/load", Rounds.Kind.TIME,
                        null, withSnapshot ? null : "events are deserialized into their payloads; the baseline only "
                                + "fetches the documents",
                        () -> micros(loads, () -> load(store, aggregate)),
                        () -> micros(loads, () -> rawFind(commits, keys))));
            }
        }
        store.shutDown();
        return rows;
    }

    /** Loads an aggregate's events as a repository does: through the event store, from its snapshot on. */
    private static long load(EventStore store, String aggregate) {
        long count = 0;
        DomainEventStream stream = store.readEvents(aggregate);
        while (stream.hasNext()) {
            stream.next().getPayload();
            count++;
        }
        return count;
    }

    private static long rawFind(MongoCollection<Document> commits, List<String> keys) {
        long count = 0;
        for (int from = 0; from < keys.size(); from += 1_000) {
            for (Document commit : commits.find(Filters.in("streamKeys", keys.subList(from, Math.min(keys.size(), from + 1_000))))) {
                count += commit.getList("events", Document.class).size();
            }
        }
        return count;
    }

    private static double micros(int times, Runnable action) {
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            action.run();
        }
        return (System.nanoTime() - start) / 1_000.0 / times;
    }

    // ------------------------------------------------------------------ B7, T1, B10 (B7 at 10×)

    private List<Row> rebuildAndTracking() {
        MongoDatabase database = fresh("b7");
        MongoEventStorageEngine engine = engine(database);
        MongoCollection<Document> commits = database.getCollection("events");
        int small = scale.storedEvents();
        int window = scale.trackingWindow();
        prefill(engine, small);

        Row b7 = rounds.measure("B7", "projection rebuild: a tracking read of all " + small + " events from the start",
                                "raw scan of the events collection", "events/s", Rounds.Kind.RATE, 0.5,
                                "the read deserializes every payload, as a projection does",
                                () -> rebuildRate(engine, small), () -> scanRate(commits));
        List<Double> trackingSmall = new ArrayList<>();
        List<Double> rebuildSmall = new ArrayList<>();
        for (int r = 0; r < rounds.rounds(); r++) {
            trackingSmall.add(trackingRate(engine, window));
            rebuildSmall.add(rebuildRate(engine, small));
        }

        prefill(engine, scale.trackingLarge() - small);
        List<Double> trackingLarge = new ArrayList<>();
        for (int r = 0; r < rounds.rounds(); r++) {
            trackingLarge.add(trackingRate(engine, window));
        }
        Row t1 = rounds.compare("T1", "tracking the newest " + window + " events of a store of "
                                        + scale.trackingLarge(),
                                "the same in a store of " + small, "events/s", Rounds.Kind.RATE, 0.8,
                                "point lookups by position: the rate must not fall as the store grows",
                                trackingLarge, trackingSmall);

        int large = small * 10;
        if (scale.trackingLarge() < large) {
            prefill(engine, large - scale.trackingLarge());
        }
        long stored = Math.max(large, scale.trackingLarge());
        List<Double> rebuildLarge = new ArrayList<>();
        for (int r = 0; r < rounds.rounds(); r++) {
            rebuildLarge.add(rebuildRate(engine, stored));
        }
        Row b10 = rounds.compare("B10-B7", "projection rebuild of " + stored + " events",
                                 "the same of " + small + " events", "events/s", Rounds.Kind.RATE, 0.8, null,
                                 rebuildLarge, rebuildSmall);
        return List.of(b7, t1, b10);
    }

    private static double rebuildRate(EventStorageEngine engine, long events) {
        long start = System.nanoTime();
        long read = 0;
        try (Stream<? extends TrackedEventMessage<?>> stream = engine.readEvents(null, false)) {
            read = stream.limit(events).mapToLong(StorageBench::deserialize).sum();
        }
        return Rounds.perSecond(read, System.nanoTime() - start);
    }

    private static double trackingRate(MongoEventStorageEngine engine, int window) {
        long head = ((GapAwareTrackingToken) engine.createHeadToken()).getIndex();
        GapAwareTrackingToken from = GapAwareTrackingToken.newInstance(head - window, List.of());
        long start = System.nanoTime();
        long read = 0;
        try (Stream<? extends TrackedEventMessage<?>> stream = engine.readEvents(from, false)) {
            read = stream.limit(window).mapToLong(StorageBench::deserialize).sum();
        }
        return Rounds.perSecond(read, System.nanoTime() - start);
    }

    /** Deserializes the payload, as a handler would; counts the event. */
    private static long deserialize(TrackedEventMessage<?> event) {
        return event.getPayload() == null ? 0 : 1;
    }

    private static double scanRate(MongoCollection<Document> commits) {
        long start = System.nanoTime();
        long read = 0;
        for (Document commit : commits.find()) {
            read += commit.getList("events", Document.class).size();
        }
        return Rounds.perSecond(read, System.nanoTime() - start);
    }

    // ------------------------------------------------------------------ set-up

    private MongoDatabase fresh(String name) {
        MongoDatabase database = client.getDatabase("bench-" + name + "-" + UUID.randomUUID().toString().substring(0, 6));
        database.drop();
        return database;
    }

    private MongoEventStorageEngine engine(MongoDatabase database) {
        return MongoEventStorageEngine.builder()
                                      .database(database)
                                      .eventSerializer(serializer)
                                      .snapshotSerializer(serializer)
                                      .batchSize(100)
                                      .build();
    }

    private EventStorageEngine extensionEngine(MongoDatabase database) {
        org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine engine =
                org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine
                        .builder()
                        .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(database).build())
                        .eventSerializer(serializer)
                        .snapshotSerializer(serializer)
                        .build();
        engine.ensureIndexes();
        return engine;
    }

    private static MongoCollection<Document> rawCollection(MongoDatabase database) {
        MongoCollection<Document> collection = database.getCollection("raw_events");
        collection.createIndex(Indexes.ascending("positions"), new IndexOptions().unique(true));
        collection.createIndex(Indexes.ascending("streamKeys"), new IndexOptions().unique(true).sparse(true));
        return collection;
    }

    /** Adds {@code events} events to the store in large commits, the quickest way to a big store. */
    private static void prefill(EventStorageEngine engine, int events) {
        for (int written = 0; written < events; written += PREFILL_COMMIT) {
            engine.appendEvents(Fixtures.command(Fixtures.newAggregateId(), 0, Math.min(PREFILL_COMMIT, events - written)));
        }
    }

    // ------------------------------------------------------------------ B12

    /**
     * B12: one page of the timeline of a client with {@link Scale#timelineEntries()} entries, as the console and the API
     * read it ({@link AuditQueries#timeline}), against a raw indexed find of the same page on the same collection; and
     * B12-deep: the page at depth 1,000 against the same client's first page.
     */
    private List<Row> timelinePages() {
        String database = "bench-b12-" + UUID.randomUUID().toString().substring(0, 6);
        MongoTemplate mongo = new MongoTemplate(client, database);
        // the ingest creates the entries' indexes, as it does in the service
        new AuditListener(mongo, EventJson.newMapper(), new Ledger(mongo, java.time.Clock.systemUTC()), Clock.systemUTC(),
                          new Quarantine(mongo, Clock.systemUTC(), act -> { }), new RecordVerifier(service -> null),
                          List.of());
        ClientId clientId = ClientId.random();
        Instant first = Instant.parse("2026-01-01T00:00:00Z");
        String payload = "{\"sealed\":\"" + "x".repeat(400) + "\"}";
        List<AuditEntry> batch = new ArrayList<>();
        for (int i = 0; i < scale.timelineEntries(); i++) {
            Instant at = first.plusSeconds(i * 30L);
            batch.add(new AuditEntry(UUID.randomUUID().toString(), clientId.toString(),
                                     "stillpoint.access.client-accessed.v1", "access", "consent-service", at, at,
                                     "practitioner-" + (i % 7), "harbour-street", null, List.of(),
                                     "READ GET /api/clients/" + clientId, "ALLOWED", payload).placed(i, i));
            if (batch.size() == 1_000) {
                mongo.insert(batch, AuditEntry.class);
                batch.clear();
            }
        }
        mongo.insert(batch, AuditEntry.class);
        // the head as the ingest leaves it
        mongo.upsert(Query.query(Criteria.where("_id").is(clientId.toString())),
                     new Update().set("timeline.count", (long) scale.timelineEntries())
                                 .set("timeline.kinds.access", (long) scale.timelineEntries()), AuditClient.class);
        AuditQueries queries = new AuditQueries(mongo);
        MongoCollection<Document> raw = client.getDatabase(database).getCollection(AuditEntry.COLLECTION);
        int size = 50;
        int page = scale.timelineEntries() / size / 2;
        int reads = scale.loadsPerRound();
        int deep = Math.min(1_000, scale.timelineEntries() / size - 1);
        // after 100,000 inserts the store is still writing them out: both pages read once before anything is timed
        pages(queries, clientId, deep, size, reads);
        pages(queries, clientId, 0, size, reads);
        Row middle = middlePage(queries, raw, clientId, page, size, reads);
        Row deepPage = rounds.measure("B12-deep", "the page at depth " + deep + " (" + size + " entries each) of the "
                                              + "timeline of a client with " + scale.timelineEntries() + " entries "
                                              + "(AuditQueries.timeline)",
                                      "the first page of the same client's timeline", "pages/s", Rounds.Kind.RATE, 0.8,
                                      "any page of any client should cost what the first does, on both backends",
                                      () -> pages(queries, clientId, deep, size, reads),
                                      () -> pages(queries, clientId, 0, size, reads));
        return List.of(middle, deepPage);
    }

    /** Reads page {@code page} of the client's timeline {@code reads} times; pages per second. */
    private static double pages(AuditQueries queries, ClientId clientId, int page, int size, int reads) {
        long start = System.nanoTime();
        for (int r = 0; r < reads; r++) {
            if (queries.timeline(clientId, TimelineFilter.ALL, page, size).entries().size() != size) {
                throw new IllegalStateException("page " + page + " is not full");
            }
        }
        return Rounds.perSecond(reads, System.nanoTime() - start);
    }

    private Row middlePage(AuditQueries queries, MongoCollection<Document> raw, ClientId clientId, int page, int size,
                           int reads) {
        return rounds.measure("B12", "one page (" + size + " entries, the middle one) of the timeline of a client with "
                                      + scale.timelineEntries() + " entries (AuditQueries.timeline)",
                              "raw find of the same page by its slots (the entries' unique slot index, $in), as documents",
                              "pages/s", Rounds.Kind.RATE, 0.5,
                              "the path reads one entry more than the page, to know whether a page follows",
                              () -> {
                                  long start = System.nanoTime();
                                  for (int r = 0; r < reads; r++) {
                                      if (queries.timeline(clientId, TimelineFilter.ALL, page, size).entries().size() != size) {
                                          throw new IllegalStateException("the page is not full");
                                      }
                                  }
                                  return Rounds.perSecond(reads, System.nanoTime() - start);
                              },
                              () -> {
                                  long start = System.nanoTime();
                                  for (int r = 0; r < reads; r++) {
                                      List<String> slots = new ArrayList<>();
                                      for (long p = (long) page * size; p <= (long) page * size + size; p++) {
                                          slots.add(TimelineSlots.slot(clientId.toString(), p));
                                      }
                                      List<Document> found = raw.find(Filters.in("slot", slots)).into(new ArrayList<>());
                                      found = found.subList(0, size);
                                      if (found.size() != size) {
                                          throw new IllegalStateException("the page is not full");
                                      }
                                  }
                                  return Rounds.perSecond(reads, System.nanoTime() - start);
                              });
    }
}
