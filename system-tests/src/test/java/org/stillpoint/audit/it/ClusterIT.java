package org.stillpoint.audit.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.audit.AuditServiceApplication;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.referral.ReferralServiceApplication;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.ServiceProcess;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of every service on one broker and one store: one in this JVM, one in a process of its own. The
 * processors share their segments; commands spread over both instances answer at once on both; then every second
 * instance is killed ({@code kill -9}) while commands keep coming, and the survivors take over its segments (within the
 * claim timeout and a claim round, as docs/SCALING.md states) and its partitions. In the end every event is once in
 * every read model and, after deduplication by id, on every topic, and the ledger is one valid chain.
 * <p>
 * Runs in a JVM of its own (audit-service's failsafe forks per class): no other test's consumers share its groups.
 */
@UsesBackends
class ClusterIT {

    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLAIM_INTERVAL = Duration.ofSeconds(1);
    private static final String[] SETTINGS = {
            "--stillpoint.processing.claim-timeout=" + CLAIM_TIMEOUT.toSeconds() + "s",
            "--stillpoint.processing.claim-interval=" + CLAIM_INTERVAL.toSeconds() + "s",
            "--spring.kafka.consumer.properties.session.timeout.ms=6000",
            "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000"};
    private static final List<Class<?>> SERVICES = List.of(ConsentServiceApplication.class,
                                                           SessionServiceApplication.class,
                                                           ReferralServiceApplication.class,
                                                           AuditServiceApplication.class);
    private static final String OFFICER = TestIssuer.shared().complianceOfficer();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static final Map<Class<?>, ConfigurableApplicationContext> inThisJvm = new LinkedHashMap<>();
    private static final Map<Class<?>, ServiceProcess> inTheirOwn = new LinkedHashMap<>();
    private static MongoClient mongo;

    @AfterAll
    static void stop() {
        inTheirOwn.values().forEach(ServiceProcess::close);
        inThisJvm.values().forEach(ConfigurableApplicationContext::close);
        if (mongo != null) {
            mongo.close();
        }
    }

    private static String database(Class<?> service) {
        return service.getSimpleName().replace("ServiceApplication", "").toLowerCase() + "-cluster-" + RUN;
    }

    private static Http first(Class<?> service, String token) {
        return new Http(Integer.parseInt(inThisJvm.get(service).getEnvironment().getProperty("local.server.port")))
                .withToken(token);
    }

    private static Http second(Class<?> service, String token) {
        return inTheirOwn.get(service).http().withToken(token);
    }

    @Test
    void everyServiceRunsAsTwoInstancesAndSurvivesLosingOne() throws Exception {
        mongo = MongoClients.create(Backends.shared().mongoConnectionString());
        // the second instances start in their processes, two at a time, while the first ones start here
        ExecutorService starting = Executors.newFixedThreadPool(2);
        Map<Class<?>, Future<ServiceProcess>> starts = new LinkedHashMap<>();
        for (Class<?> service : SERVICES) {
            // these log as a deployment does: JSON lines (checked below)
            String[] settings = java.util.stream.Stream.concat(java.util.Arrays.stream(SETTINGS),
                    java.util.stream.Stream.of("--logging.structured.format.console=ecs")).toArray(String[]::new);
            ServiceProcess process = new ServiceProcess(service, database(service), settings);
            inTheirOwn.put(service, process);
            starts.put(service, starting.submit(process::start));
        }
        try {
            for (Class<?> service : SERVICES) {
                inThisJvm.put(service, ServiceBeside.start(service, Backends.shared().mongoConnectionString(),
                                                           database(service), Backends.shared().kafkaBootstrapServers(),
                                                           SETTINGS));
            }
            for (Future<ServiceProcess> start : starts.values()) {
                start.get(240, TimeUnit.SECONDS);
            }
        } finally {
            starting.shutdown();
        }
        // the work splits: both instances of every service hold segments of its processors
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Class<?> service : SERVICES) {
                assertThat(owners(service)).as(service.getSimpleName() + " segment owners").hasSize(2);
            }
        });

        String practitioner = TestIssuer.shared().practitioner();
        List<Written> written = Collections.synchronizedList(new ArrayList<>());
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            boolean onFirst = i % 2 == 0;
            written.add(history(onFirst ? ClusterIT::first : ClusterIT::second,
                                onFirst ? ClusterIT::second : ClusterIT::first, practitioner, latencies, true));
        }
        theDashboardShowsMetricsTheServicesHave();
        System.out.printf("ClusterIT: %d writes over both instances, slowest %d ms, median %d ms%n", latencies.size(),
                          Collections.max(latencies), latencies.stream().sorted().toList().get(latencies.size() / 2));

        // every second instance dies while commands keep coming to the first ones
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        Future<?> during = caller.submit(() -> {
            while (running.get()) {
                written.add(history(ClusterIT::first, ClusterIT::first, practitioner, new ArrayList<>(), false));
            }
        });
        int before = written.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> written.size() >= before + 2 || during.isDone());
        assertThat(during.isDone()).as("the writer stopped: " + failure(during)).isFalse();
        Instant killed = Instant.now();
        inTheirOwn.values().forEach(ServiceProcess::kill);
        await().atMost(CLAIM_TIMEOUT.plus(CLAIM_INTERVAL.multipliedBy(4)).plusSeconds(5)).pollInterval(Duration.ofMillis(200))
               .untilAsserted(() -> {
                   for (Class<?> service : SERVICES) {
                       assertThat(owners(service)).as(service.getSimpleName() + " segment owners").hasSize(1);
                       assertThat(unowned(service)).as(service.getSimpleName() + " segments nobody holds").isZero();
                   }
               });
        for (ServiceProcess process : inTheirOwn.values()) {
            List<String> lines = java.nio.file.Files.readAllLines(process.log());
            List<String> json = lines.stream().filter(l -> l.startsWith("{")).toList();
            assertThat(json).as(process.log() + ": JSON log lines").hasSizeGreaterThan(10);
            for (String line : json) {
                JsonNode logged = new tools.jackson.databind.ObjectMapper().readTree(line);
                assertThat(logged.has("@timestamp") && logged.path("log").has("level") && logged.has("message"))
                        .as(line).isTrue();
            }
            assertThat(lines).as("no plain log line").noneMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ +(INFO|WARN|ERROR) .*"));
        }
        System.out.printf("ClusterIT: segments taken over %d ms after the kill%n",
                          Duration.between(killed, Instant.now()).toMillis());
        // commands keep coming after the takeover too
        int taken = written.size();
        await().atMost(Duration.ofSeconds(90)).until(() -> written.size() >= taken + 2 || during.isDone());
        assertThat(during.isDone()).as("the writer stopped: " + failure(during)).isFalse();
        running.set(false);
        during.get(60, TimeUnit.SECONDS);
        caller.shutdown();
        for (int i = 0; i < 4; i++) {
            written.add(history(ClusterIT::first, ClusterIT::first, practitioner, latencies, true));
        }

        // every event once in every read model
        Http consent = first(ConsentServiceApplication.class, practitioner);
        Http sessions = first(SessionServiceApplication.class, practitioner);
        Http referrals = first(ReferralServiceApplication.class, practitioner);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Written w : written) {
                Http.Response client = consent.get("/api/clients/" + w.clientId());
                assertThat(client.status()).as(client.raw().body()).isEqualTo(200);
                assertThat(client.body().get("activeConsents").asInt()).isEqualTo(1);
                Http.Response recorded = sessions.get("/api/clients/" + w.clientId() + "/sessions");
                assertThat(recorded.status()).as(recorded.raw().body()).isEqualTo(200);
                assertThat(recorded.body().get("sessions").size()).isEqualTo(1);
                Http.Response issued = referrals.get("/api/clients/" + w.clientId() + "/referrals");
                assertThat(issued.status()).as(issued.raw().body()).isEqualTo(200);
                assertThat(issued.body().get("referrals").size()).isEqualTo(1);
            }
        });
        // and on every topic, once after deduplication by id, each aggregate's sequence once
        Map<String, Integer> perClient = Map.of("stillpoint.consent.v1", 2, "stillpoint.session.v1", 1,
                                                "stillpoint.referral.v1", 1);
        for (Map.Entry<String, Integer> topic : perClient.entrySet()) {
            try (TopicReader reader = new TopicReader(Backends.shared().kafkaBootstrapServers(), topic.getKey())) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    reader.poll();
                    for (Written w : written) {
                        List<ConsumerRecord<String, byte[]>> records = reader.keyed(w.clientId());
                        Set<String> ids = records.stream().map(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID))
                                                 .collect(Collectors.toSet());
                        assertThat(ids).as(topic.getKey() + " " + w.clientId()).hasSize(topic.getValue());
                    }
                });
            }
        }
        // the audit: each client's events once in its timeline, the ledger one valid chain of every entry
        Http audit = first(AuditServiceApplication.class, OFFICER);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Written w : written) {
                JsonNode timeline = audit.get("/api/audit/clients/" + w.clientId() + "/timeline").body();
                List<String> types = timeline.get("entries").values().stream().map(e -> e.get("type").asString())
                                             .filter(t -> !t.startsWith("stillpoint.access.")).toList();
                assertThat(types).as(w.clientId()).containsExactlyInAnyOrder(
                        "stillpoint.consent.client-registered.v1", "stillpoint.consent.granted.v1",
                        "stillpoint.session.recorded.v1", "stillpoint.referral.issued.v2");
            }
        });
        MongoDatabase auditStore = mongo.getDatabase(database(AuditServiceApplication.class));
        // the reads above are access events the audit ingests too: wait until the ledger is still
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            long now = auditStore.getCollection("ledger").countDocuments();
            boolean still = now == last[0];
            last[0] = now;
            return still;
        });
        // the organisation's chain: every index once, none missing
        List<Long> indices = auditStore.getCollection("ledger")
                                       .find(new Document("organisationId", TestIssuer.ORGANISATION))
                                       .map(d -> ((Number) d.get("index")).longValue()).into(new ArrayList<>());
        assertThat(indices).isNotEmpty();
        assertThat(new HashSet<>(indices)).hasSize(indices.size());
        assertThat(Collections.max(indices)).as("no hole").isEqualTo(indices.size() - 1L);
        for (Http instance : List.of(audit)) {
            JsonNode report = instance.get("/api/audit/ledger/verification").body();
            assertThat(report.get("valid").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.get("entries").asLong()).isEqualTo(indices.size());
        }
    }

    /**
     * Every metric the Grafana dashboard in deploy/ asks for is one some service offers on /actuator/prometheus, with
     * the labels the dashboard groups it by.
     */
    private static void theDashboardShowsMetricsTheServicesHave() throws Exception {
        List<String> samples = new ArrayList<>();
        for (Class<?> service : SERVICES) {
            first(service, TestIssuer.shared().operator()).get("/actuator/prometheus").raw().body().lines()
                                   .filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(samples::add);
        }
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("..", "deploy", "grafana",
                                                                                "stillpoint-dashboard.json"));
        List<String> expressions = new tools.jackson.databind.ObjectMapper().readTree(dashboard).findValues("expr")
                                                                            .stream().map(JsonNode::asString).toList();
        assertThat(expressions).isNotEmpty();
        java.util.regex.Pattern selector = java.util.regex.Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
        java.util.regex.Pattern grouping = java.util.regex.Pattern.compile("by \\(([^)]*)\\)");
        for (String expression : expressions) {
            java.util.regex.Matcher metric = selector.matcher(expression);
            assertThat(metric.find()).as(expression).isTrue();
            String name = metric.group(1);
            List<String> lines = samples.stream().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                                        .toList();
            assertThat(lines).as("a service offers " + name + "; offered: " + samples.stream()
                    .map(l -> l.split("[{ ]", 2)[0]).filter(n -> n.matches("(?i).*(processor|lag|gaps).*"))
                    .distinct().sorted().toList()).isNotEmpty();
            java.util.regex.Matcher by = grouping.matcher(expression);
            while (by.find()) {
                for (String label : by.group(1).split(",\\s*")) {
                    if (!label.equals("le") && !label.equals("instance")) {
                        assertThat(lines).as(name + " labelled " + label).anyMatch(l -> l.contains(label + "=\""));
                    }
                }
            }
        }
    }

    /** Registers a client, grants consent, records a session and issues a referral: four events on three topics. */
    private static Written history(Instance writeOn, Instance readOn, String token, List<Long> latencies,
                                   boolean mustShowAtOnce) {
        Http consent = writeOn.of(ConsentServiceApplication.class, token);
        Http.Response created = timed(latencies, !mustShowAtOnce, () -> consent.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"Noor","familyName":"Vale","dateOfBirth":"1991-01-01"}
                """));
        expect(created, mustShowAtOnce);
        String clientId = created.body() == null || created.body().get("clientId") == null
                ? created.raw().headers().firstValue("Location").map(l -> l.substring(l.lastIndexOf('/') + 1)).orElseThrow()
                : created.body().get("clientId").asString();
        Http.Response granted = timed(latencies, !mustShowAtOnce, () -> readOn.of(ConsentServiceApplication.class, token).post(
                "/api/clients/" + clientId + "/consents", """
                        {"scopes":["CRANIOSACRAL_THERAPY","INFORMATION_SHARING"],"method":"WRITTEN","grantedAt":"%s","lateEntryReason":"entered from the signed paper form",
                         "form":{"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}}
                        """.formatted(Instant.now().minus(Duration.ofDays(1)), "ab".repeat(32))));
        expect(granted, mustShowAtOnce);
        Http.Response session = timed(latencies, !mustShowAtOnce, () -> writeOn.of(SessionServiceApplication.class, token).post(
                "/api/clients/" + clientId + "/sessions", """
                        {"startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":50,"modalities":["CRANIOSACRAL_THERAPY"],
                         "notes":{"observations":"Settled"},"consentSequence":1}
                        """.formatted(Instant.now().minus(Duration.ofHours(1)))));
        expect(session, mustShowAtOnce);
        Http.Response referral = timed(latencies, !mustShowAtOnce, () -> readOn.of(ReferralServiceApplication.class, token).post(
                "/api/clients/" + clientId + "/referrals", """
                        {"urgency":"ROUTINE","reason":"Medical review","sharedCategories":["DEMOGRAPHICS"],
                         "recipient":{"kind":"MEDICAL","name":"Dr. Amara Osei","organisation":"Harbour Medical Practice",
                                      "contact":{"email":"a.osei@example.org"}},"consentSequence":1}
                        """));
        expect(referral, mustShowAtOnce);
        return new Written(clientId);
    }

    private static String failure(Future<?> task) {
        if (!task.isDone()) {
            return "";
        }
        try {
            task.get();
            return "without a failure";
        } catch (Exception e) {
            return String.valueOf(e.getCause() == null ? e : e.getCause());
        }
    }

    private static void expect(Http.Response answer, boolean mustShowAtOnce) {
        if (mustShowAtOnce) {
            assertThat(answer.status()).as("shown at once: " + answer.raw().body()).isEqualTo(201);
        } else {
            assertThat(answer.status()).as("stored, shown or not yet: " + answer.raw().body()).isIn(201, 202);
        }
    }

    /**
     * Calls once and times it; a retryable refusal ({@code 503}, {@code "retryable": true}: a consent view still
     * waiting for the partitions of a dead instance) is tried again after a pause, as a client would.
     */
    private static Http.Response timed(List<Long> latencies, boolean mayRetry,
                                       java.util.function.Supplier<Http.Response> call) {
        long start = System.nanoTime();
        Http.Response answer = call.get();
        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        // while a killed instance's segments and partitions move over, a write may be answered 503 retryable:
        // retried for as long as a takeover may take on a slow machine, not a fixed number of times
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (mayRetry && System.nanoTime() < until && answer.status() == 503 && answer.body() != null
                && answer.body().has("retryable") && answer.body().get("retryable").asBoolean()) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            answer = call.get();
        }
        return answer;
    }

    /** Distinct live owners of the service's processor segments. */
    private static Set<Object> owners(Class<?> service) {
        Instant fresh = Instant.now().minus(CLAIM_TIMEOUT);
        return segments(service).stream().filter(d -> d.get("owner") != null && claimedAt(d).isAfter(fresh))
                                .map(d -> d.get("owner")).collect(Collectors.toSet());
    }

    private static long unowned(Class<?> service) {
        Instant fresh = Instant.now().minus(CLAIM_TIMEOUT);
        return segments(service).stream().filter(d -> d.get("owner") == null || !claimedAt(d).isAfter(fresh)).count();
    }

    private static List<Document> segments(Class<?> service) {
        return mongo.getDatabase(database(service)).getCollection("tracking_tokens").find().into(new ArrayList<>());
    }

    private static Instant claimedAt(Document segment) {
        Object at = segment.get("timestamp");
        return at instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : Instant.EPOCH;
    }

    @FunctionalInterface
    private interface Instance {
        Http of(Class<?> service, String token);
    }

    private record Written(String clientId) {
    }
}
