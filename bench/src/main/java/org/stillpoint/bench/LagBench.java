package org.stillpoint.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
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
import org.bson.Document;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.audit.AuditServiceApplication;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * B6: end-to-end lag, from a command accepted by consent-service (its {@code 201}) to the event visible in
 * audit-service's timeline (its client document), at half of B2's peak rate; against a raw produce→consume p99 plus a
 * raw insert p99 at the same rate, on the same broker and store.
 */
final class LagBench {

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);

    private final String mongoUri;
    private final String kafka;
    private final MongoClient client;
    private final Scale scale;
    private final double rate;
    private final Rounds rounds;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = TestIssuer.shared().practitioner();

    /** @param rate commands per second: half of B2-new's median */
    LagBench(String mongoUri, String kafka, MongoClient client, Scale scale, Rounds rounds, double rate) {
        this.mongoUri = mongoUri;
        this.kafka = kafka;
        this.client = client;
        this.scale = scale;
        this.rate = rate;
        this.rounds = rounds;
    }

    List<Row> run() {
        String id = UUID.randomUUID().toString().substring(0, 6);
        String topic = "bench-b6-consent-" + id;
        String auditDatabase = "bench-b6-audit-" + id;
        try (ConfigurableApplicationContext consent = start(ConsentServiceApplication.class, "bench-b6-consent-" + id,
                                                            "--stillpoint.publication.topic=" + topic);
             ConfigurableApplicationContext audit = start(AuditServiceApplication.class, auditDatabase,
                                                          "--stillpoint.audit.topics=" + topic,
                                                          "--stillpoint.publication.topic=bench-b6-access-" + id)) {
            String base = "http://127.0.0.1:" + consent.getEnvironment().getProperty("local.server.port");
            MongoCollection<Document> timelines = client.getDatabase(auditDatabase).getCollection(AuditEntry.COLLECTION);
            MongoCollection<Document> raw = client.getDatabase(auditDatabase + "-raw").getCollection("raw_inserts");
            int commands = Math.max(10, scale.commands() / 15);
            register(base);
            double[] p50 = new double[1];
            Row row = rounds.measure(
                    "B6", String.format(Locale.ROOT, "command accepted by consent-service → visible in audit-service's "
                                                     + "timeline, %.0f commands/s (half of B2-new)", rate),
                    "raw produce→consume p99 + raw insert p99, same rate and size", "ms (p99)", Rounds.Kind.TIME, 1 / 3.0,
                    null, () -> lag(base, timelines, commands, p50), () -> baseline(raw, commands));
            return List.of(new Row(row.id(), row.path(), row.baseline(), row.unit(), row.pathMedian(),
                                   row.baselineMedian(), row.ratio(), row.ratioMin(), row.ratioMax(), row.goal(),
                                   row.rounds(), String.format(Locale.ROOT, "p50 of the last round: %.1f ms. The path is "
                                           + "the command's store, the publisher's batch and acknowledgement, the topic, "
                                           + "and the audit's read, ledger append and completeness check per event; the goal is "
                                           + "a p99 at most 3× the baseline's (ratio ≥ 0.33)", p50[0])));
        }
    }

    private ConfigurableApplicationContext start(Class<?> application, String database, String... settings) {
        List<String> quiet = new ArrayList<>(List.of("--logging.level.root=WARN", "--spring.main.banner-mode=off"));
        quiet.addAll(List.of(settings));
        return ServiceBeside.start(application, mongoUri, database, kafka, quiet.toArray(String[]::new));
    }

    /** p99 in ms of accepted → visible, for {@code count} registrations sent at {@link #rate}. */
    private double lag(String base, MongoCollection<Document> timelines, int count, double[] p50) {
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        List<Long> lags = new CopyOnWriteArrayList<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pace(start + i * interval);
            sends.add(http.sendAsync(request(base), HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                long at = System.nanoTime();
                String clientId = Fixtures.clientIdIn(response.body()).orElse(null);
                if (response.statusCode() != 201 || clientId == null) {
                    throw new IllegalStateException("B6: " + response.statusCode() + " " + response.body());
                }
                accepted.put(clientId, at);
            }));
            watch(timelines, accepted, lags);
        }
        sends.forEach(CompletableFuture::join);
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (!accepted.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("B6: " + accepted.size() + " commands not visible in the audit");
            }
            watch(timelines, accepted, lags);
        }
        p50[0] = percentile(lags, 0.50);
        return percentile(lags, 0.99);
    }

    /** Records the lag of every accepted command whose client the audit now shows. */
    private static void watch(MongoCollection<Document> timelines, Map<String, Long> accepted, List<Long> lags) {
        if (accepted.isEmpty()) {
            return;
        }
        for (Document visible : timelines.find(Filters.in("clientId", List.copyOf(accepted.keySet())))
                                         .projection(new Document("clientId", 1))) {
            Long at = accepted.remove(visible.getString("clientId"));
            if (at != null) {
                lags.add(System.nanoTime() - at);
            }
        }
    }

    /** Raw produce→consume p99 plus raw insert p99, in ms, at the same rate with records of a command's size. */
    private double baseline(MongoCollection<Document> raw, int count) {
        String topic = "bench-b6-raw-" + UUID.randomUUID();
        byte[] value = "x".repeat(700).getBytes();
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Long> transit = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                     ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                     ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            producer.send(new ProducerRecord<>(topic, "warm-up", value)).get();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                                                      .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long interval = (long) (1e9 / rate);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                pace(start + i * interval, consumer, sent, transit);
                String key = Integer.toString(i);
                sent.put(key, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, key, value));
            }
            long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
            while (transit.size() < count && System.nanoTime() < deadline) {
                receive(consumer, sent, transit, Duration.ofMillis(5));
            }
        } catch (Exception e) {
            throw new IllegalStateException("B6 baseline failed", e);
        }
        List<Long> inserts = new ArrayList<>();
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        Document sample = new Document("payload", "x".repeat(700));
        for (int i = 0; i < count; i++) {
            pace(start + i * interval);
            long begin = System.nanoTime();
            raw.insertOne(new Document(sample).append("_id", UUID.randomUUID().toString()));
            inserts.add(System.nanoTime() - begin);
        }
        return percentile(transit, 0.99) + percentile(inserts, 0.99);
    }

    private static void receive(KafkaConsumer<String, byte[]> consumer, Map<String, Long> sent, List<Long> transit,
                                Duration wait) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            Long at = sent.remove(record.key());
            if (at != null) {
                transit.add(System.nanoTime() - at);
            }
        }
    }

    /** Waits until {@code due}, consuming meanwhile. */
    private static void pace(long due, KafkaConsumer<String, byte[]> consumer, Map<String, Long> sent, List<Long> transit) {
        while (System.nanoTime() < due) {
            receive(consumer, sent, transit, Duration.ofMillis(Math.max(1, (due - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void pace(long due) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static double percentile(List<Long> nanos, double p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }

    private HttpRequest request(String base) {
        return HttpRequest.newBuilder(URI.create(base + "/api/clients"))
                          .header("Content-Type", "application/json")
                          .header("Authorization", "Bearer " + token)
                          .POST(HttpRequest.BodyPublishers.ofString("""
                                  {"clinicId":"harbour-street","givenName":"Bench","familyName":"Client",
                                   "dateOfBirth":"1980-01-01"}""")).build();
    }

    private void register(String base) {
        try {
            HttpResponse<String> response = http.send(request(base), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("B6 warm-up: " + response.statusCode() + " " + response.body());
            }
        } catch (Exception e) {
            throw new IllegalStateException("B6 warm-up failed", e);
        }
    }
}
