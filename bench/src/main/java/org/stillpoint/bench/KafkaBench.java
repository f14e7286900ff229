package org.stillpoint.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.stillpoint.audit.ingest.AuditListener;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.audit.AuditServiceApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.consentview.ConsentViewListener;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.eventstore.MongoEventStorageEngine;
import org.stillpoint.platform.publication.EarlierRevisions;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.platform.publication.OrganisationStreams;
import org.stillpoint.platform.publication.TopicSettings;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.platform.record.RecordVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** B4 and B5: publication of stored events to Kafka, and a Kafka → MongoDB projection, against raw clients. */
final class KafkaBench {

    private static final int EVENTS_PER_CLIENT = 5;
    /** The most records a consumer's poll hands over ({@code max.poll.records}'s default). */
    private static final int POLL = 500;
    private static final String RAW_CONSUMER = "raw consumer reading %d copies of the same records, timed from its first "
            + "record";
    /** How many records the publication signs together at most: its processor's batch. */
    private static final int PUBLISHED_BATCH = 200;

    private final String bootstrapServers;
    private final String mongoUri;
    private final MongoClient client;
    private final Scale scale;
    private final Rounds rounds;
    private final Serializer serializer = Fixtures.serializer();
    private final ObjectMapper json = EventJson.newMapper();
    /** Signs every record of B4 and B5 as the services do; B5's consumer verifies against its public key. */
    private final RecordSigner signer = Fixtures.signer();

    KafkaBench(String bootstrapServers, String mongoUri, MongoClient client, Scale scale, Rounds rounds) {
        this.bootstrapServers = bootstrapServers;
        this.mongoUri = mongoUri;
        this.client = client;
        this.scale = scale;
        this.rounds = rounds;
    }

    List<Row> run() {
        List<Row> rows = new ArrayList<>();
        rows.add(publication());
        rows.addAll(projection());
        rows.addAll(auditIngest());
        return rows;
    }

    // ------------------------------------------------------------------ B4

    private Row publication() {
        int events = scale.storedEvents();
        MongoDatabase database = client.getDatabase("bench-b4-" + UUID.randomUUID().toString().substring(0, 6));
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder().database(database)
                                                                .eventSerializer(serializer)
                                                                .snapshotSerializer(serializer).batchSize(200).build();
        for (int written = 0; written < events; written += 2) {
            engine.appendEvents(Fixtures.command(Fixtures.newAggregateId(), 0, 2));
        }
        long head = ((GapAwareTrackingToken) engine.createHeadToken()).getIndex();
        // the same records: each event's on the service topic and on its organisation's topic
        List<ProducerRecord<String, byte[]>> raw = new ArrayList<>(2 * events);
        for (int i = 0; i < events; i++) {
            ConsentGranted payload = Fixtures.granted(UUID.randomUUID().toString());
            for (String topic : List.of("bench-raw", "bench-raw.bench")) {
                raw.add(new ProducerRecord<>(topic, null, payload.clientId().toString(), bytes(payload),
                                             CloudEventHeaders.of(UUID.randomUUID().toString(),
                                                                  CloudEventHeaders.typeOf(ConsentGranted.class),
                                                                  "/bench", Instant.now(), payload.clientId().toString(),
                                                                  payload.clientId().toString(), 0)));
            }
        }
        return rounds.measure("B4", "publication of " + events + " stored events: pooled processor, 4 segments, batches of 200, "
                                      + "token after every ack", "raw idempotent producer, acks=all, same records (service and organisation topic)",
                              "events/s", Rounds.Kind.RATE, 0.5,
                              "the path includes reading the events back from the store (see B7), the baseline sends "
                                      + "records that are already built",
                              () -> publishRate(engine, head, events), () -> rawProduceRate(raw, events));
    }

    private double publishRate(MongoEventStorageEngine engine, long head, int events) {
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producerConfig()));
        String topic = "bench-publication-" + UUID.randomUUID();
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        // as in a service: each record also goes to its organisation's topic
        OrganisationStreams organisations = new OrganisationStreams(
                clientId -> Optional.of(new ClientPlacement(clientId, new OrganisationId("bench"), new ClinicId("bench"))),
                admin, new TopicSettings.Wanted("", 1, 1, 1, -1), Duration.ofSeconds(10), EarlierRevisions.NONE, json);
        KafkaEventPublisher publisher = new KafkaEventPublisher(template, json, topic, topic + "-access", "/bench",
                                                                Duration.ofSeconds(30), Duration.ofMinutes(5), signer,
                                                                organisations);
        Configuration axon = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(c -> engine)
                .configureSerializer(c -> serializer)
                .eventProcessing(processing -> processing
                        .usingPooledStreamingEventProcessors()
                        .registerPooledStreamingEventProcessorConfiguration(
                                KafkaEventPublisher.PROCESSING_GROUP,
                                (c, builder) -> builder.batchSize(200).initialSegmentCount(4))
                        .registerEventHandler(c -> publisher)
                        .registerHandlerInterceptor(KafkaEventPublisher.PROCESSING_GROUP, c -> publisher))
                .buildConfiguration();
        // the topics exist before the clock starts, as the baseline's do (its partitionsFor creates them)
        try {
            // with the broker's defaults, as the baseline's topics are created
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()),
                                       new NewTopic(OrganisationStreams.topic(topic, new OrganisationId("bench")),
                                                    Optional.empty(), Optional.empty())))
                 .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("B4: the topics could not be created", e);
        }
        template.partitionsFor(topic);
        template.partitionsFor(OrganisationStreams.topic(topic, new OrganisationId("bench")));
        long start = System.nanoTime();
        axon.start();
        try {
            // the bench's processor keeps its token in memory: nothing in this (empty) token collection
            if (!new ProcessingProgress(axon.eventProcessingConfiguration(), client.getDatabase("bench-b4-tokens"),
                                        "tracking_tokens", serializer, "bench", Duration.ofSeconds(10))
                    .await(KafkaEventPublisher.PROCESSING_GROUP, head, Duration.ofMinutes(5))) {
                throw new IllegalStateException("publication did not reach the head of the store");
            }
            return Rounds.perSecond(events, System.nanoTime() - start);
        } finally {
            axon.shutdown();
            template.destroy();
            admin.close();
        }
    }

    private double rawProduceRate(List<ProducerRecord<String, byte[]>> records, int events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig())) {
            producer.partitionsFor("bench-raw");
            producer.partitionsFor("bench-raw.bench");
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
            return Rounds.perSecond(events, System.nanoTime() - start);
        }
    }

    // ------------------------------------------------------------------ B5

    private List<Row> projection() {
        int clients = Math.max(1, scale.storedEvents() / EVENTS_PER_CLIENT);
        int events = clients * EVENTS_PER_CLIENT;
        String topic = "bench-consent-" + UUID.randomUUID();
        List<ProducerRecord<String, byte[]>> produced = new ArrayList<>(events);
        List<Document> upserts = new ArrayList<>(events);
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig())) {
            for (int c = 0; c < clients; c++) {
                String clientId = UUID.randomUUID().toString();
                for (int s = 0; s < EVENTS_PER_CLIENT; s++) {
                    ConsentGranted payload = Fixtures.granted(clientId);
                    batch.add(new ProducerRecord<>(topic, null, clientId, bytes(payload),
                            CloudEventHeaders.of(UUID.randomUUID().toString(),
                                                 CloudEventHeaders.typeOf(ConsentGranted.class),
                                                 "/stillpoint/consent-service", Instant.now(), clientId, clientId, s)));
                    produced.add(batch.getLast());
                    if (batch.size() == PUBLISHED_BATCH) {
                        sendSigned(producer, batch);
                    }
                    upserts.add(new Document("_id", clientId).append("sequence", s)
                                                             .append("event", Document.parse(new String(bytes(payload)))));
                }
            }
            sendSigned(producer, batch);
            producer.flush();
        }
        String path = "projection of " + events + " consent events into the consent view (ConsentViewListener)";
        Copies copies = copies(produced);
        Row consume = rounds.measure("B5-consume", path, RAW_CONSUMER.formatted(copies.records()), "events/s",
                                     Rounds.Kind.RATE, null, null,
                                     () -> projectRate(topic, events), () -> rawConsumeRate(copies));
        Row upsert = rounds.measure("B5-upsert", path, "raw bulkWrite of the final documents, one upsert per client per poll of 500 events",
                                    "events/s", Rounds.Kind.RATE, null, null,
                                    () -> projectRate(topic, events), () -> rawUpsertRate(upserts));
        Row b5 = slower("B5", path, "min(raw consumer, raw upsert): ", consume, upsert,
                        "each poll's records are applied at once: one read and one replace per client in the poll, "
                                + "then one move of each partition's read position; the baseline writes each client's "
                                + "final document once per poll, in one bulkWrite");
        return List.of(b5, consume, upsert);
    }

    // ------------------------------------------------------------------ B8

    /**
     * The audit's ingest as the service runs it: audit-service started beside the bench on a topic of its own, its own
     * listener container reading it (checks, ledger append, timeline entry and head, sequence check, an offset commit
     * for each record), fed each round with the registrations and consents of new clients, signed as consent-service
     * signs them, and timed from the first record sent until its committed offsets reach the last; against the slower
     * of a raw consumer and raw inserts of documents of the entries' size, each round alternating with the path.
     */
    private List<Row> auditIngest() {
        // a quarter of B4's events: a round of the path takes about thirty times as long as one of B4
        int clients = Math.max(1, scale.storedEvents() / 4 / EVENTS_PER_CLIENT);
        int events = clients * EVENTS_PER_CLIENT;
        String id = UUID.randomUUID().toString().substring(0, 6);
        String topic = "bench-b8-consent-" + id;
        RecordSigner consentService = new RecordSigner(TestIssuer.shared().signingKey("consent-service"), List.of());
        // the baselines' records: one round's, signed, as the path reads them
        List<ProducerRecord<String, byte[]>> produced = signed(consentService, records(topic, clients));
        List<Document> inserts = new ArrayList<>(events);
        for (ProducerRecord<String, byte[]> record : produced) {
            inserts.add(new Document("_id", CloudEventHeaders.text(record.headers(), CloudEventHeaders.ID))
                                .append("clientId", record.key()).append("kind", "consent").append("actor", "bench")
                                .append("recordedAt", new java.util.Date()).append("occurredAt", new java.util.Date())
                                .append("payload", new String(record.value())));
        }
        Copies copies = copies(produced);
        List<Double> path = new ArrayList<>();
        List<Double> consumed = new ArrayList<>();
        List<Double> inserted = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // the topic exists, with a round's records, before the service subscribes: its first read is its warm-up
            Map<Integer, Long> warmUp = send(producer, signed(consentService, records(topic, clients)));
            try (ConfigurableApplicationContext audit = ServiceBeside.start(
                    AuditServiceApplication.class, mongoUri, "bench-b8-audit-" + id, bootstrapServers,
                    "--logging.level.root=WARN", "--spring.main.banner-mode=off", "--stillpoint.audit.topics=" + topic,
                    "--stillpoint.publication.topic=bench-b8-access-" + id)) {
                awaitCommitted(admin, topic, warmUp);
                for (int r = 0; r < rounds.rounds(); r++) {
                    if (r % 2 == 0) {
                        path.add(serviceIngestRate(admin, producer, signed(consentService, records(topic, clients))));
                        consumed.add(rawConsumeRate(copies));
                        inserted.add(rawInsertRate(inserts));
                    } else {
                        consumed.add(rawConsumeRate(copies));
                        inserted.add(rawInsertRate(inserts));
                        path.add(serviceIngestRate(admin, producer, signed(consentService, records(topic, clients))));
                    }
                }
            }
        }
        String description = "audit ingest of " + events + " registrations and consents by audit-service (its listener "
                + "container: checks, ledger, timeline, offset commits)";
        Row consume = rounds.compare("B8-consume", description, RAW_CONSUMER.formatted(copies.records()), "events/s",
                                     Rounds.Kind.RATE, null, null, path, consumed);
        Row insert = rounds.compare("B8-insert", description, "raw insertOne of documents of the entries' size, with the "
                                            + "entries' indexes", "events/s", Rounds.Kind.RATE, null, null, path, inserted);
        Row b8 = slower("B8", description, "min(raw consumer, raw insert): ", consume, insert,
                         "record at a time, as the service runs it: the signature checked, the client's placement "
                                 + "read, the ledger's head read and the link inserted, the entry inserted at its "
                                 + "place and the client's head grown, the aggregate's sequence read and written, the "
                                 + "record's offset committed; timed from the first record sent to the last offset "
                                 + "committed; the baseline inserts every event once");
        return List.of(b8, consume, insert);
    }

    /** A registration and consents for each of {@code clients} new clients, unsigned. */
    private List<ProducerRecord<String, byte[]>> records(String topic, int clients) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(clients * EVENTS_PER_CLIENT);
        for (int c = 0; c < clients; c++) {
            String clientId = UUID.randomUUID().toString();
            List<Object> payloads = new ArrayList<>(List.of(Fixtures.registered(clientId)));
            for (int s = 1; s < EVENTS_PER_CLIENT; s++) {
                payloads.add(Fixtures.granted(clientId));
            }
            for (int s = 0; s < payloads.size(); s++) {
                records.add(new ProducerRecord<>(topic, null, clientId, bytes(payloads.get(s)), CloudEventHeaders.of(
                        UUID.randomUUID().toString(), CloudEventHeaders.typeOf(payloads.get(s).getClass()),
                        "/stillpoint/consent-service", Instant.now(), clientId, clientId, s)));
            }
        }
        return records;
    }

    /** The records signed as the publisher signs them: a batch at a time, one signature and a proof per record. */
    private static List<ProducerRecord<String, byte[]>> signed(RecordSigner signer,
                                                               List<ProducerRecord<String, byte[]>> records) {
        for (int from = 0; from < records.size(); from += PUBLISHED_BATCH) {
            signer.signAll(records.subList(from, Math.min(records.size(), from + PUBLISHED_BATCH)));
        }
        return records;
    }

    /** Sends the records and waits for the broker: the offset after the last record, by partition. */
    private static Map<Integer, Long> send(KafkaProducer<String, byte[]> producer,
                                           List<ProducerRecord<String, byte[]>> records) {
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
        records.forEach(record -> sent.add(producer.send(record)));
        producer.flush();
        Map<Integer, Long> ends = new HashMap<>();
        for (var future : sent) {
            try {
                var metadata = future.get();
                ends.merge(metadata.partition(), metadata.offset() + 1, Math::max);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("B8: a record was not sent", e.getCause());
            }
        }
        return ends;
    }

    /** Sends a round's records to the running service; records per second until it has committed them all. */
    private double serviceIngestRate(Admin admin, KafkaProducer<String, byte[]> producer,
                                     List<ProducerRecord<String, byte[]>> records) {
        long start = System.nanoTime();
        Map<Integer, Long> ends = send(producer, records);
        awaitCommitted(admin, records.getFirst().topic(), ends);
        return Rounds.perSecond(records.size(), System.nanoTime() - start);
    }

    /** Waits until the audit's consumer group has committed {@code ends} on every partition of {@code topic}. */
    private static void awaitCommitted(Admin admin, String topic, Map<Integer, Long> ends) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed;
            try {
                committed = admin.listConsumerGroupOffsets(AuditListener.GROUP).partitionsToOffsetAndMetadata()
                                 .get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("B8: the audit's committed offsets could not be read", e);
            }
            boolean done = ends.entrySet().stream().allMatch(end -> {
                var offset = committed.get(new org.apache.kafka.common.TopicPartition(topic, end.getKey()));
                return offset != null && offset.offset() >= end.getValue();
            });
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("B8: audit-service did not commit " + ends + " of " + topic
                                                        + " within 5 minutes; it committed " + committed);
            }
            try {
                // each look is a request to the broker's group coordinator, which shares the machine with the path:
                // every 50 ms, a 0.4% error on a round of a dozen seconds
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The row of a path against the slower of two baselines, with the goal 0.5. */
    private Row slower(String id, String path, String baseline, Row one, Row other, String note) {
        Row slower = other.baselineMedian() <= one.baselineMedian() ? other : one;
        return rounds.derived(new Row(id, path, baseline + slower.baseline(), slower.unit(), slower.pathMedian(),
                                      slower.baselineMedian(), slower.ratio(), slower.ratioMin(), slower.ratioMax(),
                                      0.5, slower.rounds(), note));
    }

    private double rawInsertRate(List<Document> documents) {
        MongoCollection<Document> collection = client.getDatabase("bench-b8-raw-" + UUID.randomUUID().toString()
                                                                                         .substring(0, 6))
                                                     .getCollection("audit_entries");
        // the indexes the audit's entries have (AuditEntry): the timeline by client and time, the search by actor, and
        // the unique places of each entry on its client's timeline and within its kind, each document given its own
        collection.createIndex(Indexes.ascending("clientId", "recordedAt", "_id"));
        collection.createIndex(Indexes.ascending("actor", "occurredAt"));
        IndexOptions place = new IndexOptions().unique(true).sparse(true);
        collection.createIndex(Indexes.ascending("slot"), place);
        collection.createIndex(Indexes.ascending("kindSlot"), place);
        String run = UUID.randomUUID().toString();
        long start = System.nanoTime();
        long n = 0;
        for (Document document : documents) {
            n++;
            collection.insertOne(new Document(document).append("slot", run + "#" + n)
                                                       .append("kindSlot", run + "#k#" + n));
        }
        return Rounds.perSecond(documents.size(), System.nanoTime() - start);
    }

    /** Signs a batch as the publisher signs one (one signature, a proof per record) and sends it. */
    private void sendSigned(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> batch) {
        signer.signAll(batch);
        batch.forEach(producer::send);
        batch.clear();
    }

    private double projectRate(String topic, int events) {
        MongoTemplate mongo = new MongoTemplate(client, "bench-b5-" + UUID.randomUUID().toString().substring(0, 6));
        RecordVerifier verifier = new RecordVerifier(service -> new ImmutableJWKSet<>(signer.jwks()));
        ConsentViewListener listener = new ConsentViewListener(mongo, json, verifier,
                                                               new Quarantine(mongo, Clock.systemUTC(), act -> { }),
                                                               "bench.consent-view");
        return consumeBatches(topic, events, listener::on).perSecond();
    }

    /** A topic holding a path's records over and over, for a raw consumer's run long enough to be timed. */
    private record Copies(String topic, int records) {
    }

    /**
     * The records (signed, as the path reads them) copied onto a topic of their own as often as it takes to hold at
     * least ten times the store's events (50,000 at full scale).
     */
    private Copies copies(List<ProducerRecord<String, byte[]>> records) {
        String topic = "bench-raw-" + UUID.randomUUID();
        int times = Math.max(1, (scale.storedEvents() * 10 + records.size() - 1) / records.size());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig())) {
            for (int t = 0; t < times; t++) {
                for (ProducerRecord<String, byte[]> record : records) {
                    producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers()));
                }
            }
            producer.flush();
        }
        return new Copies(topic, times * records.size());
    }

    /** A raw consumer reading all the copies, timed from the first record, as the paths are. */
    private double rawConsumeRate(Copies copies) {
        return consumeBatches(copies.topic(), copies.records(), records -> { }).perSecond();
    }

    /**
     * The best raw form of the projection's work: its final documents (one per client, as the last of its events left
     * it), upserted with one {@code bulkWrite} per {@value #POLL} events, the most a poll hands the path at once.
     */
    private double rawUpsertRate(List<Document> documents) {
        MongoCollection<Document> collection = client.getDatabase("bench-b5-raw-" + UUID.randomUUID().toString().substring(0, 6))
                                                     .getCollection("consent_view");
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        long start = System.nanoTime();
        for (int from = 0; from < documents.size(); from += POLL) {
            Map<Object, Document> last = new java.util.LinkedHashMap<>();
            documents.subList(from, Math.min(documents.size(), from + POLL)).forEach(d -> last.put(d.get("_id"), d));
            collection.bulkWrite(last.values().stream()
                                     .map(d -> new ReplaceOneModel<>(Filters.eq("_id", d.get("_id")), d, upsert))
                                     .toList(), new BulkWriteOptions().ordered(false));
        }
        return Rounds.perSecond(documents.size(), System.nanoTime() - start);
    }

    /** Records read and the time from the first record's arrival to the last one handled. */
    private record Consumed(int records, long nanos) {

        double perSecond() {
            return Rounds.perSecond(records, Math.max(1, nanos));
        }
    }

    /**
     * Reads the {@code events} records of {@code topic} from its start, handing each poll's records over at once; timed
     * from the first record, so that the consumer's start (its connection, metadata and first fetch) is in neither a
     * path's nor a baseline's rate.
     */
    private Consumed consumeBatches(String topic, int events, Consumer<List<ConsumerRecord<String, byte[]>>> handler) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                                                      .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int done = 0;
            long first = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (done < events && System.nanoTime() < deadline) {
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (!records.isEmpty()) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    handler.accept(records);
                    done += records.size();
                }
            }
            return new Consumed(done, first == 0 ? 0 : System.nanoTime() - first);
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return config;
    }

    private byte[] bytes(Object payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
