package org.stillpoint.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.eventstore.MongoEventStorageEngine;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * B2: commands through consent-service's HTTP API — registering new clients and granting consent to existing ones,
 * chosen with a skew (a fifth of the clients get four fifths of the commands) — against raw single-document inserts, at
 * the same concurrency. Each command answers only once its event is stored and readable (read-your-writes).
 */
final class ServiceBench {

    private static final int CONCURRENCY = 4;
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":\"([^\"]+)\"");
    private static final String FORM = "{\"formId\":\"cst\",\"version\":\"1\",\"textSha256\":\"" + "ab".repeat(32) + "\"}";

    private final String mongoUri;
    private final String kafka;
    private final MongoClient client;
    private final Scale scale;
    private final Rounds rounds;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = TestIssuer.shared().practitioner();

    ServiceBench(String mongoUri, String kafka, MongoClient client, Scale scale) {
        this.mongoUri = mongoUri;
        this.kafka = kafka;
        this.client = client;
        this.scale = scale;
        this.rounds = new Rounds(scale.rounds());
    }

    List<Row> run() {
        String database = "bench-b2-" + UUID.randomUUID().toString().substring(0, 6);
        try (ConfigurableApplicationContext service = start(database)) {
            String base = base(service);
            int commands = Math.max(CONCURRENCY, scale.commands() / 5);
            List<String> clients = new ArrayList<>();
            for (int i = 0; i < Math.max(10, commands / 10); i++) {
                clients.add(register(base));
            }
            MongoCollection<Document> raw = client.getDatabase(database + "-raw").getCollection("raw_commands");
            Random random = new Random(42);
            Document sample = new Document("payload", "x".repeat(900));
            double[] newP99 = new double[1];
            double[] existingP99 = new double[1];
            Row created = rounds.measure("B2-new", "register a new client over HTTP, " + CONCURRENCY + " callers",
                                         "raw single-document insert, same concurrency", "commands/s", Rounds.Kind.RATE,
                                         null, null,
                                         () -> rate(commands, i -> register(base), newP99),
                                         () -> rate(commands, i -> insert(raw, sample), new double[1]));
            Row existing = rounds.measure("B2-existing", "grant consent to an existing client over HTTP (skewed: a fifth "
                                                  + "of the clients get four fifths of the commands), " + CONCURRENCY
                                                  + " callers",
                                          "raw single-document insert, same concurrency", "commands/s",
                                          Rounds.Kind.RATE, null, null,
                                          () -> rate(commands, i -> grant(base, skewed(clients, random)), existingP99),
                                          () -> rate(commands, i -> insert(raw, sample), new double[1]));
            return List.of(noted(created, newP99[0]), noted(existing, existingP99[0]), tenfold(random),
                           twoInstances(random));
        }
    }

    /**
     * B10 for B2: consent for existing clients over HTTP on a service whose store holds 10× more events than another's,
     * both prefilled with registrations and consents of other clients, and each measured once its processors have
     * caught up with what was prefilled.
     */
    private Row tenfold(Random random) {
        int small = Math.max(100, scale.storedEvents() / 5);
        int commands = Math.max(CONCURRENCY, scale.commands() / 15);
        String id = UUID.randomUUID().toString().substring(0, 6);
        try (ConfigurableApplicationContext one = prefilled("bench-b10-b2-1x-" + id, small);
             ConfigurableApplicationContext ten = prefilled("bench-b10-b2-10x-" + id, small * 10)) {
            String oneBase = base(one);
            String tenBase = base(ten);
            List<String> oneClients = new ArrayList<>();
            List<String> tenClients = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                oneClients.add(register(oneBase));
                tenClients.add(register(tenBase));
            }
            List<Double> atOne = new ArrayList<>();
            List<Double> atTen = new ArrayList<>();
            for (int r = 0; r < rounds.rounds(); r++) {
                if (r % 2 == 0) {
                    atOne.add(rate(commands, i -> grant(oneBase, skewed(oneClients, random)), new double[1]));
                    atTen.add(rate(commands, i -> grant(tenBase, skewed(tenClients, random)), new double[1]));
                } else {
                    atTen.add(rate(commands, i -> grant(tenBase, skewed(tenClients, random)), new double[1]));
                    atOne.add(rate(commands, i -> grant(oneBase, skewed(oneClients, random)), new double[1]));
                }
            }
            return rounds.compare("B10-B2", "B2-existing with " + small * 10 + " events stored",
                                  "the same with " + small + " stored", "commands/s", Rounds.Kind.RATE, 0.8,
                                  "each store prefilled with registrations and consents of other clients; measured "
                                          + "once the service's projection and publisher had caught up with them",
                                  atTen, atOne);
        }
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
        double[] aloneP99 = new double[1];
        double[][] spreadP99 = new double[2][1];
        AtomicInteger notShown = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        try (ConfigurableApplicationContext first = start(database, "--stillpoint.publication.topic=" + database)) {
            String firstBase = base(first);
            List<String> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(register(firstBase));
            }
            for (int r = 0; r < rounds.rounds(); r++) {
                alone.add(rate(commands, i -> grant(firstBase, skewed(clients, random)), aloneP99));
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
                    }, i -> i % 2, spreadP99));
                }
            }
        }
        Row row = rounds.compare("B11", "B2-existing spread over two consent-service instances on one store",
                                 "the same commands to one instance alone", "commands/s", Rounds.Kind.RATE, 0.9,
                                 String.format(Locale.ROOT, "p99 of the last round: one instance alone %.1f ms; "
                                         + "spread, on the first %.1f ms, on the second %.1f ms; %d of %d spread writes "
                                         + "answered 202 (stored, not shown within 10 s), %d retried after a 409 (both "
                                         + "instances writing one client at once). Both instances share this "
                                         + "machine's two cores and one embedded store, whose $inc is not atomic "
                                         + "across writers (docs/SCALING.md)", aloneP99[0], spreadP99[0][0],
                                         spreadP99[1][0], notShown.get(), commands * rounds.rounds(), conflicts.get()),
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

    private static Row noted(Row row, double p99) {
        return new Row(row.id(), row.path(), row.baseline(), row.unit(), row.pathMedian(), row.baselineMedian(),
                       row.ratio(), row.ratioMin(), row.ratioMax(), row.goal(), row.rounds(),
                       String.format(Locale.ROOT, "p99 of the last round: %.1f ms per command; a command "
                               + "is answered only once stored and applied by the read model (position reservation, "
                               + "commit insert, client key, the projection's read and replace), where the baseline "
                               + "is one insert", p99));
    }

    private static String skewed(List<String> clients, Random random) {
        int hot = Math.max(1, clients.size() / 5);
        synchronized (random) {
            return random.nextInt(5) < 4 ? clients.get(random.nextInt(hot)) : clients.get(random.nextInt(clients.size()));
        }
    }

    /** Runs {@code count} operations on {@link #CONCURRENCY} threads; answers operations per second and sets p99 in ms. */
    private static double rate(int count, IntFunction<Object> operation, double[] p99) {
        double[][] each = {p99};
        return rate(count, operation, i -> 0, each);
    }

    /**
     * As {@link #rate(int, IntFunction, double[])}, with a p99 per group of operations ({@code group} of an operation's
     * index, such as the instance it went to).
     */
    private static double rate(int count, IntFunction<Object> operation, java.util.function.IntUnaryOperator group,
                               double[][] p99) {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY)) {
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < CONCURRENCY; t++) {
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
            for (int g = 0; g < p99.length; g++) {
                int target = g;
                long[] mine = java.util.stream.IntStream.range(0, count).filter(i -> group.applyAsInt(i) == target)
                                                        .mapToLong(i -> latencies[i]).sorted().toArray();
                p99[g][0] = mine.length == 0 ? 0
                        : mine[Math.min(mine.length - 1, (int) Math.ceil(mine.length * 0.99) - 1)] / 1e6;
            }
            return perSecond;
        } catch (Exception e) {
            throw new IllegalStateException("B2 failed", e);
        }
    }

    private static Object insert(MongoCollection<Document> raw, Document sample) {
        raw.insertOne(new Document(sample).append("_id", UUID.randomUUID().toString()));
        return null;
    }

    private String register(String base) {
        String body = post(base + "/api/clients", """
                {"organisationId":"stillwater","clinicId":"harbour-street","givenName":"Bench","familyName":"Client",
                 "dateOfBirth":"1980-01-01"}""");
        Matcher matcher = CLIENT_ID.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("no client id in " + body);
        }
        return matcher.group(1);
    }

    private Object grant(String base, String clientId) {
        return post(base + "/api/clients/" + clientId + "/consents",
                    "{\"scopes\":[\"CRANIOSACRAL_THERAPY\"],\"method\":\"WRITTEN\",\"form\":" + FORM + "}");
    }

    private String post(String url, String json) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                                                                 .header("Content-Type", "application/json")
                                                                 .header("Authorization", "Bearer " + token)
                                                                 .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                                                      HttpResponse.BodyHandlers.ofString());
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
