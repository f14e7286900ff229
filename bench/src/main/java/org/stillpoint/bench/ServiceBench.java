package org.stillpoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.consent.query.ClientConsentsView;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.eventstore.MongoEventStorageEngine;
import org.stillpoint.platform.metrics.CommandStages;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * B2: commands through consent-service's HTTP API — registering new clients and granting consent to existing ones,
 * chosen with a skew (a fifth of the clients get four fifths of the commands) — against raw single-document inserts, at
 * the same concurrency. Each command answers only once its event is stored and readable (read-your-writes).
 */
final class ServiceBench {

    private static final int CONCURRENCY = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MANY_CALLERS = 32;
    private static final String RAW_COMMAND = "the raw command (the same server stack and token check doing only the "
            + "writes the guarantees need: client key, position reservation, commit, read model; RawCommandServer)";
    private static final String FORM = "{\"formId\":\"cst\",\"version\":\"1\",\"textSha256\":\"" + "ab".repeat(32) + "\"}";

    private final String mongoUri;
    private final String kafka;
    private final MongoClient client;
    private final Scale scale;
    private final Rounds rounds;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = TestIssuer.shared().practitioner();
    private String stages = "";
    /** B7-full, measured on B10-B2's larger store before that service stops. */
    private Row rebuilt;
    private static final int REBUILD_BATCH = 500;
    /** The stage table's last line: what the callers saw. */
    private static final String TOTAL = "**total: the caller's round trip**";

    ServiceBench(String mongoUri, String kafka, MongoClient client, Scale scale, Rounds rounds) {
        this.mongoUri = mongoUri;
        this.kafka = kafka;
        this.client = client;
        this.scale = scale;
        this.rounds = rounds;
    }

    List<Row> run() {
        List<Row> rows = new ArrayList<>();
        String database = "bench-b2-" + UUID.randomUUID().toString().substring(0, 6);
        try (ConfigurableApplicationContext service = start(database);
             ConfigurableApplicationContext raw = RawCommandServer.start(mongoUri, database + "-raw")) {
            String base = base(service);
            String rawBase = base(raw);
            int commands = Math.max(CONCURRENCY, scale.commands() / 5);
            // both servers warm (JIT, pools, caches) before anything is measured: the same commands, many callers
            List<String> rawClients = new ArrayList<>();
            List<String> clients = new ArrayList<>();
            warmUp(base, clients);
            warmUp(rawBase, rawClients);
            Random random = new Random(42);
            Latency newLatency = new Latency();
            Latency rawNewLatency = new Latency();
            Latency existingLatency = new Latency();
            Latency rawExistingLatency = new Latency();
            Pauses newPauses = new Pauses();
            Map<String, Double> beforeNew = stageNanos(service, "/api/clients");
            Row created = rounds.measure("B2-new", "register a new client over HTTP, " + CONCURRENCY + " callers",
                                         RAW_COMMAND + ", same concurrency", "commands/s", Rounds.Kind.RATE, 0.5, null,
                                         () -> newPauses.during(() -> rate(commands, CONCURRENCY, i -> register(base),
                                                                           newLatency)),
                                         () -> rate(commands, CONCURRENCY, i -> register(rawBase), rawNewLatency));
            Map<String, Double> afterNew = stageNanos(service, "/api/clients");
            Map<String, Double> beforeExisting = stageNanos(service, "/api/clients/{clientId}/consents");
            Pauses existingPauses = new Pauses();
            Row existing = rounds.measure("B2-existing", "grant consent to an existing client over HTTP (skewed: a fifth "
                                                  + "of the clients get four fifths of the commands), " + CONCURRENCY
                                                  + " callers",
                                          RAW_COMMAND + " (a grant: reservation, commit, read model), same concurrency "
                                                  + "and skew", "commands/s", Rounds.Kind.RATE, 0.5, null,
                                          () -> existingPauses.during(() -> rate(commands, CONCURRENCY,
                                                  i -> grant(base, skewed(clients, random)), existingLatency)),
                                          () -> rate(commands, CONCURRENCY, i -> grant(rawBase, skewed(rawClients, random)),
                                                     rawExistingLatency));
            Map<String, Double> afterExisting = stageNanos(service, "/api/clients/{clientId}/consents");
            stages = stagesSection(breakdown(beforeNew, afterNew, newLatency),
                                   breakdown(beforeExisting, afterExisting, existingLatency))
                    + "\n" + cpuSection(base, rawBase, commands);
            // as many commands a round as at 4 callers: the callers overlap more, each sends fewer
            int many = commands;
            Latency manyLatency = new Latency();
            Latency rawManyLatency = new Latency();
            Pauses manyPauses = new Pauses();
            Row crowded = rounds.measure("B2-32", "register a new client over HTTP, " + MANY_CALLERS + " callers",
                                         RAW_COMMAND + ", same concurrency", "commands/s", Rounds.Kind.RATE, 0.5, null,
                                         () -> manyPauses.during(() -> rate(many, MANY_CALLERS, i -> register(base),
                                                                            manyLatency)),
                                         () -> rate(many, MANY_CALLERS, i -> register(rawBase), rawManyLatency));
            rows.addAll(List.of(noted(created, newLatency, rawNewLatency, newPauses),
                                noted(existing, existingLatency, rawExistingLatency, existingPauses),
                                noted(crowded, manyLatency, rawManyLatency, manyPauses)));
        }
        // each of the next rows with its own services, once B2's have stopped
        Random random = new Random(43);
        rows.add(tenfold(random));
        rows.add(rebuilt);
        rows.add(twoInstances(random));
        try {
            rows.add(copyBesideWrites(random));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * B14: other clients' grants while one client's large copy is produced ({@link CopyParts}: a session and an access
     * for each tenth of {@link Scale#timelineEntries()}, 10,000 of each at full scale), against the same grants alone,
     * on one consent-service. Each round asks for a new copy just before its grants start, and waits for it after.
     */
    private Row copyBesideWrites(Random random) throws IOException {
        int commands = Math.max(CONCURRENCY, scale.commands() / 5);
        int sessions = scale.timelineEntries() / 10;
        String database = "bench-b14-" + UUID.randomUUID().toString().substring(0, 6);
        List<Double> alone = new ArrayList<>();
        List<Double> beside = new ArrayList<>();
        List<Double> produced = new ArrayList<>();
        long copyBytes = 0;
        try (CopyParts parts = CopyParts.serving(sessions)) {
            List<String> settings = new ArrayList<>(parts.settings());
            settings.add("--stillpoint.copies.check-interval=100ms");
            try (ConfigurableApplicationContext service = start(database, settings.toArray(String[]::new))) {
                String base = base(service);
                List<String> clients = new ArrayList<>();
                warmUp(base, clients);
                String large = register(base);
                String me = TestIssuer.shared().minter().mintClient("bench-client", TestIssuer.ORGANISATION, large,
                                                                    Duration.ofHours(2));
                for (int r = 0; r < rounds.rounds(); r++) {
                    alone.add(rate(commands, CONCURRENCY, i -> grant(base, skewed(clients, random)), new Latency()));
                    long asked = System.nanoTime();
                    String request = JSON.readTree(send(base + "/api/me/copy-requests", me, "POST"))
                                         .path("requestId").asText();
                    beside.add(rate(commands, CONCURRENCY, i -> grant(base, skewed(clients, random)), new Latency()));
                    while (!producedYet(send(base + "/api/me/copy-requests", me, "GET"), request)) {
                        if (System.nanoTime() - asked > TimeUnit.MINUTES.toNanos(5)) {
                            throw new IllegalStateException("B14: the copy of " + sessions + " sessions was not "
                                                                    + "produced within 5 minutes");
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                    }
                    produced.add((System.nanoTime() - asked) / 1e9);
                    copyBytes = send(base + "/api/me/copy-requests/" + request + "/bundle", me, "GET").length();
                }
            }
        }
        return rounds.compare("B14", "grant consent to other clients over HTTP while one client's copy of " + sessions
                                      + " sessions and " + sessions + " accesses is produced, " + CONCURRENCY
                                      + " callers", "the same grants with no copy being made", "commands/s",
                              Rounds.Kind.RATE, 0.5, String.format(Locale.ROOT, "each copy took %.1f s (median) from "
                                      + "the request to its last sealed stretch, its FHIR bundle %.1f MB; the other "
                                      + "parts are served by the bench in their services' answer shapes (CopyParts)",
                                      Rounds.median(produced.stream().mapToDouble(Double::doubleValue).toArray()),
                                      copyBytes / 1e6), beside, alone);
    }

    private static boolean producedYet(String requests, String requestId) throws IOException {
        for (JsonNode request : JSON.readTree(requests).path("requests")) {
            if (request.path("requestId").asText().equals(requestId)) {
                return request.path("status").asText().equals("PRODUCED");
            }
        }
        return false;
    }

    private String send(String url, String bearer, String method) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(url))
                                                            .header("Authorization", "Bearer " + bearer)
                                                            .method(method, HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * The CPU of a registration by part ({@link CpuProfile}): {@code commands} more registrations at 4 callers to the
     * service, then as many to the raw command, each sampled apart.
     */
    private String cpuSection(String base, String rawBase, int commands) {
        CpuProfile service = new CpuProfile().start();
        rate(commands, CONCURRENCY, i -> register(base), new Latency());
        Map<String, Double> path = service.perCommand(commands);
        CpuProfile raw = new CpuProfile().start();
        rate(commands, CONCURRENCY, i -> register(rawBase), new Latency());
        Map<String, Double> baseline = raw.perCommand(commands);
        String note = "The bench's JVM's CPU time over " + commands + " registrations at " + CONCURRENCY + " callers, "
                + "per command, split by JDK Flight Recorder's execution samples (every 10 ms of a running thread) by "
                + "the innermost frame that is not the JDK's. The service, the embedded store, the broker's clients "
                + "and the bench's callers share this JVM; the publisher and the projection run in it too, so their "
                + "work for these commands is in the split.";
        return CpuProfile.table("Where a registration's CPU goes (B2-new)", path, note) + "\n"
                + CpuProfile.table("Where the raw command's CPU goes", baseline,
                                   "The same, for the raw command (RawCommandServer) answering the same registrations.");
    }

    /**
     * {@link Scale#warmUp()} commands to {@code base} before it is measured, half registrations, half grants to the
     * clients registered (kept in {@code clients} for the measured grants), on {@link #MANY_CALLERS} callers.
     */
    private void warmUp(String base, List<String> clients) {
        int half = Math.max(10, scale.warmUp() / 2);
        List<String> registered = java.util.Collections.synchronizedList(new ArrayList<>());
        rate(half, MANY_CALLERS, i -> registered.add(register(base)), new Latency());
        clients.addAll(registered.subList(0, Math.max(10, Math.min(registered.size(), half / 10))));
        Random random = new Random(7);
        rate(half, MANY_CALLERS, i -> grant(base, skewed(clients, random)), new Latency());
    }

    /**
     * B10 for B2: consent for existing clients over HTTP on a service whose store holds 10× more events than another's,
     * both prefilled with registrations and consents of other clients, and each measured once its processors have
     * caught up with what was prefilled. One service is alive at a time (the smaller store's first), so neither's
     * processors take the machine from the other's commands.
     */
    private Row tenfold(Random random) {
        int small = Math.max(100, scale.storedEvents() / 5);
        int commands = Math.max(CONCURRENCY, scale.commands() / 15);
        String id = UUID.randomUUID().toString().substring(0, 6);
        List<Double> atOne = grantsOn("bench-b10-b2-1x-" + id, small, commands, random, service -> { });
        List<Double> atTen = grantsOn("bench-b10-b2-10x-" + id, small * 10, commands, random,
                                      service -> rebuilt = rebuild(service, "bench-b10-b2-10x-" + id));
        return rounds.compare("B10-B2", "B2-existing with " + small * 10 + " events stored",
                              "the same with " + small + " stored", "commands/s", Rounds.Kind.RATE, 0.8,
                              "each store prefilled with registrations and consents of other clients; measured once "
                                      + "the service's projection and publisher had caught up with them; one service "
                                      + "alive at a time, the smaller store's first",
                              atTen, atOne);
    }

    /**
     * Each round's rate of grants to 10 clients of a service on a store prefilled with {@code events} events; then
     * {@code after} on the same service, before it stops.
     */
    private List<Double> grantsOn(String database, int events, int commands, Random random,
                                  java.util.function.Consumer<ConfigurableApplicationContext> after) {
        try (ConfigurableApplicationContext service = prefilled(database, events)) {
            String base = base(service);
            List<String> clients = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(register(base));
            }
            // warm as the other was: the same grants, unmeasured
            rate(commands, i -> grant(base, skewed(clients, random)), new Latency());
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < rounds.rounds(); r++) {
                rates.add(rate(commands, i -> grant(base, skewed(clients, random)), new Latency()));
            }
            after.accept(service);
            return rates;
        }
    }

    /**
     * B7-full: the consent view rebuilt by its processor from the store's first event, as an operator's replay does
     * (processor stopped, tokens reset, the reset handler dropping the documents, started again, until it has passed
     * the store's head), against the best raw form of the same result: the documents it ends with, written with one
     * unordered {@code insertMany} of {@value #REBUILD_BATCH} at a time into an empty collection. Fewer rounds than
     * the others: a round replays the whole store.
     */
    private Row rebuild(ConfigurableApplicationContext service, String database) {
        EventProcessingConfiguration processing = service.getBean(EventProcessingConfiguration.class);
        ProcessingProgress progress = service.getBean(ProcessingProgress.class);
        EventStore store = service.getBean(EventStore.class);
        StreamingEventProcessor processor = processing.eventProcessor(ClientConsentsProjection.PROCESSOR,
                                                                      StreamingEventProcessor.class).orElseThrow();
        MongoCollection<Document> view = client.getDatabase(database).getCollection(ClientConsentsView.COLLECTION);
        List<Double> path = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        long events = 0;
        int rebuildRounds = Math.max(2, rounds.rounds() / 2);
        for (int r = 0; r < rebuildRounds; r++) {
            long head = ((GapAwareTrackingToken) store.createHeadToken()).getIndex();
            events = head + 1;
            long start = System.nanoTime();
            processor.shutDown();
            processor.resetTokens();
            processor.start();
            if (!progress.await(ClientConsentsProjection.PROCESSOR, head, Duration.ofMinutes(3))) {
                throw new IllegalStateException("B7-full: the consent view's rebuild did not pass " + head + " in 3 min");
            }
            path.add(Rounds.perSecond(events, System.nanoTime() - start));
            List<Document> documents = view.find().into(new ArrayList<>());
            MongoCollection<Document> target = client.getDatabase(database + "-raw-" + r)
                                                     .getCollection(ClientConsentsView.COLLECTION);
            long rawStart = System.nanoTime();
            for (int from = 0; from < documents.size(); from += REBUILD_BATCH) {
                target.insertMany(documents.subList(from, Math.min(documents.size(), from + REBUILD_BATCH)),
                                  new com.mongodb.client.model.InsertManyOptions().ordered(false));
            }
            raw.add(Rounds.perSecond(events, System.nanoTime() - rawStart));
        }
        return rounds.compare("B7-full", "rebuild of the consent view through its processor from the first of "
                                      + events + " stored events (reset, replay, every event applied)",
                              "raw insertMany of the documents the rebuild ends with, " + REBUILD_BATCH
                                      + " at a time, into an empty collection", "events/s", Rounds.Kind.RATE, 0.5,
                              "per event as the projection applies it: a registration one insert, a grant one "
                                      + "update by field guarded by the client's sequence, then the token; the "
                                      + "baseline writes each client's final document once; " + rebuildRounds
                                      + " rounds (each replays the whole store)", path, raw);
    }

    /**
     * B11: B2-existing with its commands spread over two consent-service instances on one store (the projection's
     * segments split between them, so half the writes wait for the other instance's token), against the same commands
     * to one instance alone, on the same store, measured first.
     */
    private Row twoInstances(Random random) {
        int commands = Math.max(CONCURRENCY, scale.commands() / 15);
        String database = "bench-b11-" + UUID.randomUUID().toString().substring(0, 6);
        List<Double> alone = new ArrayList<>();
        List<Double> spread = new ArrayList<>();
        Latency aloneLatency = new Latency();
        Latency[] spreadLatency = {new Latency(), new Latency()};
        AtomicInteger notShown = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        try (ConfigurableApplicationContext first = start(database, "--stillpoint.publication.topic=" + database)) {
            String firstBase = base(first);
            List<String> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(register(firstBase));
            }
            for (int r = 0; r < rounds.rounds(); r++) {
                alone.add(rate(commands, i -> grant(firstBase, skewed(clients, random)), aloneLatency));
            }
            try (ConfigurableApplicationContext second = start(database, "--stillpoint.publication.topic=" + database)) {
                String secondBase = base(second);
                awaitSplit(database);
                for (int r = 0; r < rounds.rounds(); r++) {
                    spread.add(rate(commands, i -> {
                        String base = i % 2 == 0 ? firstBase : secondBase;
                        String clientId = skewed(clients, random);
                        for (int attempt = 1; ; attempt++) {
                            try {
                                return grant(base, clientId);
                            } catch (NotShown stored) {
                                notShown.incrementAndGet();
                                return null;
                            } catch (Conflict raced) {
                                // the other instance wrote the same client at the same moment: retried, as a client
                                // would (409 concurrent-modification is retryable)
                                conflicts.incrementAndGet();
                                if (attempt == 5) {
                                    throw raced;
                                }
                            }
                        }
                    }, i -> i % 2, spreadLatency));
                }
            }
        }
        Row row = rounds.compare("B11", "B2-existing spread over two consent-service instances on one store",
                                 "the same commands to one instance alone", "commands/s", Rounds.Kind.RATE, 0.9,
                                 String.format(Locale.ROOT, "p99 over all rounds: one instance alone %.1f ms; "
                                         + "spread, on the first %.1f ms, on the second %.1f ms; %d of %d spread writes "
                                         + "answered 202 (stored, not shown within 10 s), %d retried after a 409 (both "
                                         + "instances writing one client at once). Both instances share this "
                                         + "machine's two cores and one embedded store, whose $inc is not atomic "
                                         + "across writers (docs/SCALING.md)", aloneLatency.p99Ms(),
                                         spreadLatency[0].p99Ms(), spreadLatency[1].p99Ms(), notShown.get(), commands * rounds.rounds(), conflicts.get()),
                                 spread, alone);
        return row;
    }

    /** Waits until the second instance holds segments of the consent projection: the work has split. */
    private void awaitSplit(String database) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.getDatabase(database).getCollection("tracking_tokens").distinct("owner", String.class)
                     .into(new ArrayList<>()).stream().filter(java.util.Objects::nonNull).count() < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("B11: the second instance claimed no segment within 60 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** consent-service on a store prefilled with {@code events} events, once its processors have read them all. */
    private ConfigurableApplicationContext prefilled(String database, int events) {
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder()
                                                                .database(client.getDatabase(database))
                                                                .eventSerializer(Fixtures.serializer())
                                                                .snapshotSerializer(Fixtures.serializer())
                                                                .build();
        for (int written = 0; written < events; written += 2) {
            engine.appendEvents(Fixtures.client(Fixtures.newAggregateId()));
        }
        ConfigurableApplicationContext service = start(database, "--stillpoint.publication.topic=" + database);
        ProcessingProgress progress = service.getBean(ProcessingProgress.class);
        for (String processor : List.of(ClientConsentsProjection.PROCESSOR, KafkaEventPublisher.PROCESSING_GROUP)) {
            if (!progress.await(processor, events - 1L, Duration.ofMinutes(3))) {
                service.close();
                throw new IllegalStateException("B10-B2: " + processor + " did not catch up with " + events + " events");
            }
        }
        return service;
    }

    private ConfigurableApplicationContext start(String database, String... settings) {
        List<String> quiet = new ArrayList<>(List.of("--logging.level.root=WARN", "--spring.main.banner-mode=off"));
        quiet.addAll(List.of(settings));
        return ServiceBeside.start(ConsentServiceApplication.class, mongoUri, database, kafka,
                                   quiet.toArray(String[]::new));
    }

    private static String base(ConfigurableApplicationContext service) {
        return "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
    }

    private static Row noted(Row row, Latency path, Latency raw, Pauses pauses) {
        return new Row(row.id(), row.path(), row.baseline(), row.unit(), row.pathMedian(), row.baselineMedian(),
                       row.ratio(), row.ratioMin(), row.ratioMax(), row.goal(), row.rounds(),
                       String.format(Locale.ROOT, "p99 over all %d rounds: %.1f ms per command, the raw command's "
                               + "%.1f ms (%.1f×); a command is answered only once stored and applied by its read "
                               + "model. In the path's rounds: %s", row.rounds(), path.p99Ms(), raw.p99Ms(),
                                     path.p99Ms() / raw.p99Ms(), pauses));
    }

    private static String skewed(List<String> clients, Random random) {
        int hot = Math.max(1, clients.size() / 5);
        synchronized (random) {
            return random.nextInt(5) < 4 ? clients.get(random.nextInt(hot)) : clients.get(random.nextInt(clients.size()));
        }
    }

    /** What the callers saw of one path over all its rounds: every command's time, for the p99 and the sum. */
    private static final class Latency {
        private final List<long[]> rounds = new ArrayList<>();
        private long totalNanos;
        private long count;

        synchronized void add(long[] latencies) {
            rounds.add(latencies.clone());
            totalNanos += Arrays.stream(latencies).sum();
            count += latencies.length;
        }

        /** The 99th percentile of every command of every round, pooled. */
        synchronized double p99Ms() {
            long[] sorted = rounds.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return sorted.length == 0 ? 0
                    : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        }
    }

    /** The JVM's garbage-collection and JIT time during measured rounds (the service runs in the bench's JVM). */
    private static final class Pauses {
        private long gcMillis;
        private long jitMillis;
        private final List<String> perRound = new ArrayList<>();

        double during(java.util.function.DoubleSupplier round) {
            long gc = CpuProfile.gcMillis();
            long jit = CpuProfile.jitMillis();
            double result = round.getAsDouble();
            long roundGc = CpuProfile.gcMillis() - gc;
            long roundJit = CpuProfile.jitMillis() - jit;
            gcMillis += roundGc;
            jitMillis += roundJit;
            perRound.add(roundGc + "/" + roundJit);
            return result;
        }

        @Override
        public String toString() {
            return "GC " + gcMillis + " ms, JIT " + jitMillis + " ms (per round, GC/JIT ms: "
                    + String.join(", ", perRound) + ")";
        }
    }

    /** Runs {@code count} operations on {@code callers} threads; answers operations per second. */
    private static double rate(int count, int callers, IntFunction<Object> operation, Latency latency) {
        return rate(count, callers, operation, i -> 0, new Latency[]{latency});
    }

    /** As {@link #rate(int, int, IntFunction, Latency)} on {@link #CONCURRENCY} callers. */
    private static double rate(int count, IntFunction<Object> operation, Latency latency) {
        return rate(count, CONCURRENCY, operation, latency);
    }

    /**
     * As {@link #rate(int, IntFunction, Latency)}, with the latencies of each group of operations apart
     * ({@code group} of an operation's index, such as the instance it went to).
     */
    private static double rate(int count, IntFunction<Object> operation, IntUnaryOperator group,
                               Latency[] latencyByGroup) {
        return rate(count, CONCURRENCY, operation, group, latencyByGroup);
    }

    private static double rate(int count, int callers, IntFunction<Object> operation, IntUnaryOperator group,
                               Latency[] latencyByGroup) {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long begin = System.nanoTime();
                        operation.apply(i);
                        latencies[i] = System.nanoTime() - begin;
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            double perSecond = Rounds.perSecond(count, System.nanoTime() - start);
            for (int g = 0; g < latencyByGroup.length; g++) {
                int target = g;
                latencyByGroup[g].add(IntStream.range(0, count)
                                                                .filter(i -> group.applyAsInt(i) == target)
                                                                .mapToLong(i -> latencies[i]).toArray());
            }
            return perSecond;
        } catch (Exception e) {
            throw new IllegalStateException("B2 failed", e);
        }
    }

    // ------------------------------------------------------------------ where a command's time goes

    /** The markdown section breaking B2's commands into stages, from the last run. */
    String stagesSection() {
        return stages;
    }

    /** Each stage's time so far in {@code service} (ns, summed), and the server's time of POSTs to {@code uri}. */
    private static Map<String, Double> stageNanos(ConfigurableApplicationContext service, String uri) {
        MeterRegistry registry = service.getBean(MeterRegistry.class);
        Map<String, Double> totals = new LinkedHashMap<>();
        for (CommandStages.Stage stage : CommandStages.Stage.values()) {
            Timer timer = registry.find(CommandStages.METER).tag("stage", stage.tag()).timer();
            totals.put(stage.tag(), timer == null ? 0 : timer.totalTime(TimeUnit.NANOSECONDS));
        }
        totals.put("server", registry.find("http.server.requests").tag("uri", uri).tag("method", "POST").timers()
                                     .stream().mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS)).sum());
        return totals;
    }

    /** Milliseconds per command in each stage, between two readings, for commands whose callers saw {@code seen}. */
    private static Map<String, Double> breakdown(Map<String, Double> before, Map<String, Double> after, Latency seen) {
        Map<String, Double> perCommand = new LinkedHashMap<>();
        before.forEach((stage, value) -> perCommand.put(stage, (after.get(stage) - value) / seen.count / 1e6));
        double total = seen.totalNanos / (double) seen.count / 1e6;
        double server = perCommand.get("server");
        double handle = perCommand.get("handle");
        double reserve = perCommand.get("reserve");
        double insert = perCommand.get("insert");
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("HTTP: the request and the answer between caller and server (round trip − server time)",
                   total - server);
        stages.put("token, routing, JSON and the answer's read (server time outside the stages below)",
                   server - perCommand.get("access") - handle - perCommand.get("wait"));
        stages.put("access check", perCommand.get("access"));
        stages.put("aggregate load and the command's handler (handling − reservation − insert)",
                   handle - reserve - insert);
        stages.put("position reservation ($inc on the counter)", reserve);
        stages.put("commit insert", insert);
        stages.put("read-your-writes wait (the projection applies the event and stores its token)",
                   perCommand.get("wait"));
        stages.put(TOTAL, total);
        return stages;
    }

    private static String stagesSection(Map<String, Double> created, Map<String, Double> existing) {
        StringBuilder md = new StringBuilder("## Where a command's time goes (B2)\n\n");
        md.append("Mean milliseconds per command over the path's rounds, from consent-service's own timers "
                          + "(`" + CommandStages.METER + "`, by stage, and `http.server.requests`) and the callers' "
                          + "round trips, " + CONCURRENCY + " callers.\n\n");
        md.append("| stage | B2-new (ms) | share | B2-existing (ms) | share |\n|---|---|---|---|---|\n");
        double newTotal = created.get(TOTAL);
        double existingTotal = existing.get(TOTAL);
        for (String stage : created.keySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f%% | %.2f | %.0f%% |%n", stage, created.get(stage),
                                    100 * created.get(stage) / newTotal, existing.get(stage),
                                    100 * existing.get(stage) / existingTotal));
        }
        return md.toString();
    }

    private String register(String base) {
        String body = post(base + "/api/clients", Fixtures.REGISTRATION);
        return Fixtures.clientIdIn(body).orElseThrow(() -> new IllegalStateException("no client id in " + body));
    }

    private Object grant(String base, String clientId) {
        return post(base + "/api/clients/" + clientId + "/consents",
                    "{\"scopes\":[\"CRANIOSACRAL_THERAPY\"],\"method\":\"WRITTEN\",\"form\":" + FORM + "}");
    }

    private String post(String url, String json) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(url))
                                                            .header("Content-Type", "application/json")
                                                            .header("Authorization", "Bearer " + token)
                                                            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        if (response.statusCode() == 202) {
            throw new NotShown(url + " answered 202: " + response.body());
        }
        if (response.statusCode() == 409 && response.body().contains("concurrent-modification")) {
            throw new Conflict(url + " answered 409: " + response.body());
        }
        if (response.statusCode() != 201) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A write refused because another request changed the same record at the same moment ({@code 409}). */
    private static final class Conflict extends IllegalStateException {
        Conflict(String message) {
            super(message);
        }
    }

    /** A write stored but not shown by its read model within the service's wait ({@code 202}). */
    private static final class NotShown extends IllegalStateException {
        NotShown(String message) {
            super(message);
        }
    }
}
