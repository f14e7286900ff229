package org.stillpoint.delivery.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.delivery.DeliveryServiceApplication;
import org.stillpoint.integrator.WebhookMessages;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.ServiceProcess;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Push delivery against a real HTTP receiver on loopback, with consent-service's records on a real broker: each
 * message signed by the Standard Webhooks convention and carrying its record signature, both checked by the example
 * receiver's checks (the reference implementation for the first); in order per client; every message once after
 * deduplication when the receiver was down for a while; a hanging endpoint holding up no other subscription and paused
 * after the retry period; an instance killed mid-delivery and started again losing and reordering nothing; a gone
 * endpoint disabling its subscription; redelivery and replay; every refusal.
 */
@UsesBackends
class DeliveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Endpoints on loopback, short waits, a retry period of seconds instead of a day. */
    private static final List<String> SETTINGS = List.of("--stillpoint.delivery.allow-loopback=true",
                                                         "--stillpoint.delivery.allow-http=true",
                                                         "--stillpoint.delivery.first-wait=200ms",
                                                         "--stillpoint.delivery.longest-wait=1s",
                                                         "--stillpoint.delivery.retry-for=6s",
                                                         "--stillpoint.delivery.connect-timeout=1s",
                                                         "--stillpoint.delivery.timeout=2s",
                                                         "--stillpoint.delivery.refresh-every=200ms");
    private static ConfigurableApplicationContext delivery;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        ServiceBeside.of(ConsentServiceApplication.class);
        delivery = ServiceBeside.start(DeliveryServiceApplication.class, Backends.shared().mongoConnectionString(),
                                       "delivery-" + UUID.randomUUID().toString().substring(0, 8),
                                       Backends.shared().kafkaBootstrapServers(), SETTINGS.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (delivery != null) {
            delivery.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void eachEventArrivesSignedTwiceAndInOrderPerClientAndIsTheIntegratorsAccess() throws Exception {
        Organisation org = new Organisation();
        try (TopicReader access = TopicReader.fromNow(Backends.shared().kafkaBootstrapServers(),
                                                      PublishedTypes.ACCESS_TOPIC)) {
            JsonNode subscription = org.subscribe("signed", List.of("stillpoint.consent.*"));
            String secret = subscription.get("secret").asString();
            assertThat(secret).startsWith("whsec_");
            List<String> clients = List.of(org.client(2), org.client(2), org.client(2));

            List<Receiver.Received> got = awaitDistinct("signed", 9);
            WebhookMessages checks = new WebhookMessages(secret, TestIssuer.shared().signingJwksUri());
            Map<String, List<Long>> sequences = new HashMap<>();
            for (Receiver.Received message : got) {
                WebhookMessages.Message checked = checks.check(message.body(), message.headers());
                assertThat(checked.webhookId()).isEqualTo(message.webhookId());
                assertThat(checked.topic()).isEqualTo("stillpoint.consent.v1." + org.id);
                sequences.computeIfAbsent(checked.clientKey(), c -> new ArrayList<>()).add(checked.sequence());
                assertThat(message.headers().get("content-type").getFirst()).startsWith("application/cloudevents+json");
            }
            assertThat(sequences.keySet()).containsExactlyInAnyOrderElementsOf(clients);
            sequences.values().forEach(s -> assertThat(s).as("in order per client").containsExactly(0L, 1L, 2L));

            // a changed body or a signature under another secret is refused by the receiver's checks
            Receiver.Received first = got.getFirst();
            byte[] changed = new String(first.body(), StandardCharsets.UTF_8).replace("\"kafkaoffset\":\"", "\"kafkaoffset\":\"1")
                                                                               .getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> checks.check(changed, first.headers()))
                    .hasMessageStartingWith("webhook-signature");
            assertThatThrownBy(() -> new WebhookMessages("whsec_" + "QUJD".repeat(8), TestIssuer.shared().signingJwksUri())
                    .check(first.body(), first.headers())).hasMessageStartingWith("webhook-signature");

            // the log, as the integrator reads it
            JsonNode log = org.integrator().get("/api/webhooks/" + subscription.get("subscriptionId").asString()
                                                         + "/deliveries").body();
            assertThat(log.get("attempts").values().stream()
                          .filter(a -> a.get("outcome").asString().equals("DELIVERED")).count()).isEqualTo(9);

            // each delivery of a client's record is an access event of the integrator for that client
            Set<String> accessed = new LinkedHashSet<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : access.poll()) {
                    JsonNode event = new tools.jackson.databind.ObjectMapper().readTree(record.value());
                    if (event.path("subscriptionId").asString("").equals(subscription.get("subscriptionId").asString())
                            && PublishedTypes.typeOf(EventDelivered.class).equals(header(record, "ce_type"))) {
                        accessed.add(event.get("eventId").asString());
                    }
                }
                return accessed.size() == 9;
            });
        }
    }

    @Test
    void aReceiverDownForAWhileGetsEveryMessageOnceAfterDeduplicationInOrder() throws Exception {
        Organisation org = new Organisation();
        receiver.answer("down", 503);
        JsonNode subscription = org.subscribe("down", List.of("stillpoint.consent.*"));
        List<String> clients = List.of(org.client(1), org.client(1));
        String id = subscription.get("subscriptionId").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> org.officer().get("/api/webhooks/" + id + "/deliveries")
                .body().get("attempts").values().stream().filter(a -> a.get("outcome").asString().equals("FAILED"))
                .count() >= 3);
        receiver.answer("down", 200);
        Map<String, List<Long>> sequences = applied(awaitDistinct("down", 4), subscription.get("secret").asString());
        assertThat(sequences.keySet()).containsExactlyInAnyOrderElementsOf(clients);
        sequences.values().forEach(s -> assertThat(s).containsExactly(0L, 1L));
        JsonNode attempts = org.officer().get("/api/webhooks/" + id + "/deliveries").body().get("attempts");
        assertThat(attempts.values().stream().filter(a -> a.get("outcome").asString().equals("DELIVERED"))
                           .anyMatch(a -> a.get("attempt").asInt() > 1)).as("taken after retries").isTrue();
        assertThat(attempts.values().stream().filter(a -> a.get("outcome").asString().equals("FAILED"))
                           .allMatch(a -> a.get("status").asInt() == 503 && a.get("error") != null)).isTrue();
    }

    @Test
    void aHangingEndpointHoldsUpNoOtherSubscriptionAndIsPausedAfterTheRetryPeriod() throws Exception {
        Organisation org = new Organisation();
        receiver.hang("hanging", Duration.ofSeconds(30));
        JsonNode stuck = org.subscribe("hanging", List.of("stillpoint.consent.*"));
        org.subscribe("beside", List.of("stillpoint.consent.*"));
        org.client(1);
        org.client(1);
        Instant written = Instant.now();
        awaitDistinct("beside", 4);
        assertThat(Duration.between(written, Instant.now())).as("not held up by the hanging endpoint")
                                                            .isLessThan(Duration.ofSeconds(20));
        String id = stuck.get("subscriptionId").asString();
        JsonNode paused = await().atMost(Duration.ofSeconds(40)).until(
                () -> org.officer().get("/api/webhooks/" + id).body(),
                s -> s.get("status").asString().equals("PAUSED_FAILING"));
        assertThat(paused.get("statusDetail").asString()).contains("no answer");
        // the operator is told: the organisation's subscriptions that do not deliver, and why, without their endpoints
        JsonNode operated = org.as("ola", "OPERATOR").get("/api/operations/webhooks").body().get("subscriptions");
        assertThat(operated.values().stream().filter(s -> s.get("subscriptionId").asString().equals(id))
                           .map(s -> s.get("status").asString() + " " + s.get("endpointHost").asString()))
                .containsExactly("PAUSED_FAILING 127.0.0.1");
        RefusalCheck.problem(org.officer().get("/api/operations/webhooks"), 403, "role-not-allowed");
        assertThat(receiver.at("hanging")).isEmpty();

        // back, and resumed by the officer: everything arrives, nothing was skipped
        receiver.answer("hanging", 204);
        assertThat(org.officer().post("/api/webhooks/" + id + "/resume", "").status()).isEqualTo(200);
        awaitDistinct("hanging", 4);
    }

    @Test
    void aDeliveryServiceKilledMidDeliveryResumesWithoutLosingOrReorderingAClientsMessages() throws Exception {
        Organisation org = new Organisation();
        receiver.hang("killed", Duration.ofMillis(700));
        try (ServiceProcess instance = new ServiceProcess(DeliveryServiceApplication.class,
                                                          "delivery-killed-" + UUID.randomUUID().toString().substring(0, 8),
                                                          SETTINGS.toArray(String[]::new))) {
            instance.start();
            Http officer = instance.http().withToken(TestIssuer.shared().token("cole", org.id, List.of(),
                                                                              List.of("COMPLIANCE_OFFICER")));
            Http.Response made = officer.post("/api/webhooks", JSON.writeValueAsString(Map.of(
                    "name", "killed", "endpoint", receiver.url("killed"), "eventTypes", List.of("stillpoint.consent.*"))));
            assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
            List<String> clients = List.of(org.client(2), org.client(2));
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at("killed").size() >= 2);
            instance.kill();
            instance.start();

            Map<String, List<Long>> sequences = applied(awaitDistinct("killed", 6), made.body().get("secret").asString());
            assertThat(sequences.values().stream().mapToInt(List::size).sum()).isEqualTo(6);
            assertThat(sequences.keySet()).containsExactlyInAnyOrderElementsOf(clients);
            sequences.values().forEach(s -> assertThat(s).as("in order across the kill").containsExactly(0L, 1L, 2L));
        } finally {
            receiver.answer("killed", 204);
        }
    }

    @Test
    void anEndpointThatIsGoneDisablesItsSubscription() throws Exception {
        Organisation org = new Organisation();
        receiver.answer("gone", 410);
        String id = org.subscribe("gone", List.of("stillpoint.consent.client-registered.v1")).get("subscriptionId")
                       .asString();
        org.client(0);
        JsonNode disabled = await().atMost(Duration.ofSeconds(30)).until(
                () -> org.officer().get("/api/webhooks/" + id).body(), s -> s.get("status").asString().equals("DISABLED"));
        assertThat(disabled.get("statusDetail").asString()).contains("410");
    }

    @Test
    void aMessageIsRedeliveredAndASubscriptionReplayedFromAMoment() throws Exception {
        Organisation org = new Organisation();
        Instant before = Instant.now().minusSeconds(1);
        JsonNode subscription = org.subscribe("again", List.of("stillpoint.consent.*"));
        String id = subscription.get("subscriptionId").asString();
        org.client(1);
        List<Receiver.Received> first = awaitDistinct("again", 2);

        String webhookId = first.getFirst().webhookId();
        Http.Response asked = org.integrator().post("/api/webhooks/" + id + "/redeliveries",
                                                    "{\"webhookId\":\"" + webhookId + "\"}");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> receiver.at("again").stream().filter(r -> r.webhookId().equals(webhookId)).count() == 2);
        assertThat(org.officer().get("/api/webhooks/" + id + "/deliveries?webhookId=" + webhookId).body()
                      .get("attempts").values().stream().anyMatch(a -> a.get("redelivery").asBoolean())).isTrue();

        Http.Response replay = org.officer().post("/api/webhooks/" + id + "/replay", "{\"from\":\"" + before + "\"}");
        assertThat(replay.status()).as(replay.raw().body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("again").size() == 5);
        List<String> ids = receiver.at("again").stream().map(Receiver.Received::webhookId).toList();
        assertThat(ids.subList(3, 5)).as("replayed in order, same ids").containsExactlyElementsOf(ids.subList(0, 2));

        RefusalCheck.problem(org.integrator().post("/api/webhooks/" + id + "/redeliveries",
                                                   "{\"webhookId\":\"msg_unknown\"}"), 404, "message-not-found");
        RefusalCheck.problem(org.officer().post("/api/webhooks/" + id + "/replay", "{}"), 400, "replay-from-required");
        RefusalCheck.problem(org.officer().post("/api/webhooks/" + id + "/replay",
                                                "{\"from\":\"" + Instant.now().plusSeconds(3600) + "\"}"), 422,
                             "replay-from-the-future");
        RefusalCheck.problem(org.officer().post("/api/webhooks/" + id + "/replay",
                                                "{\"positions\":[{\"topic\":\"stillpoint.consent.v1.elsewhere\","
                                                        + "\"partition\":0,\"offset\":0}]}"), 422,
                             "partition-not-subscribed");
    }

    @Test
    void everyActIsRefusedToWhomItIsNotAndForWhatItMayNotBe() throws Exception {
        Organisation org = new Organisation();
        Http practitioner = org.as("pat", "PRACTITIONER");
        String body = "{\"name\":\"x\",\"endpoint\":\"" + receiver.url("refusals") + "\",\"eventTypes\":[\"stillpoint.consent.*\"]}";
        RefusalCheck.problem(practitioner.post("/api/webhooks", body), 403, "role-not-allowed");
        RefusalCheck.problem(practitioner.get("/api/webhooks"), 403, "role-not-allowed");
        RefusalCheck.problem(org.integrator().post("/api/webhooks", body), 403, "role-not-allowed");
        refused(org.officer().post("/api/webhooks", body.replace("stillpoint.consent.*", "stillpoint.nothing.v1")),
                             422, "event-type-unknown", "eventTypes[0]");
        refused(org.officer().post("/api/webhooks", body.replace("stillpoint.consent.*",
                                                                              "stillpoint.access.records-listed.v1")),
                             422, "event-type-unknown", "eventTypes[0]");
        refused(org.officer().post("/api/webhooks", body.replace("\"x\"", "\" \"")), 400, "name-required",
                             "name");
        for (String endpoint : List.of("http://10.0.0.8/hooks", "http://169.254.169.254/latest/meta-data",
                                       "http://user:pw@127.0.0.1/hooks", "file:///etc/passwd", "not a url",
                                       "http://[fd00::1]/hooks")) {
            refused(org.officer().post("/api/webhooks", body.replace(receiver.url("refusals"), endpoint)),
                                 422, "endpoint-not-allowed", "endpoint");
        }
        refused(org.officer().post("/api/webhooks", body.replace("}", ",\"startFrom\":\""
                + Instant.now().plusSeconds(60) + "\"}")), 422, "start-in-the-future", "startFrom");

        JsonNode made = org.subscribe("refusals", List.of("stillpoint.consent.*"));
        String id = made.get("subscriptionId").asString();
        assertThat(org.officer().get("/api/webhooks/" + id).body().has("secret")).as("shown once").isFalse();
        RefusalCheck.problem(new Organisation().officer().get("/api/webhooks/" + id), 404, "subscription-not-found");
        RefusalCheck.problem(org.integrator().post("/api/webhooks/" + id + "/pause", ""), 403, "role-not-allowed");
        assertThat(org.officer().post("/api/webhooks/" + id + "/pause", "").body().get("status").asString())
                .isEqualTo("PAUSED");
        RefusalCheck.problem(org.officer().post("/api/webhooks/" + id + "/pause", ""), 409, "subscription-not-active");
        JsonNode rotated = org.officer().post("/api/webhooks/" + id + "/secret", "").body();
        assertThat(rotated.get("secret").asString()).startsWith("whsec_").isNotEqualTo(made.get("secret").asString());
        assertThat(org.officer().delete("/api/webhooks/" + id).body().get("status").asString()).isEqualTo("DELETED");
        RefusalCheck.problem(org.officer().put("/api/webhooks/" + id, body), 410, "subscription-deleted");
        assertThat(org.integrator().get("/api/webhooks/" + id + "/deliveries").status()).as("its log stays readable")
                                                                                     .isEqualTo(200);
    }

    /**
     * What a receiver deduplicating by {@code webhook-id} applies of {@code messages}, each checked as the example
     * receiver checks it: the sequences of each client's events, in the order they were first taken.
     */
    private static Map<String, List<Long>> applied(List<Receiver.Received> messages, String secret) throws Exception {
        WebhookMessages checks = new WebhookMessages(secret, TestIssuer.shared().signingJwksUri());
        Map<String, List<Long>> sequences = new HashMap<>();
        Set<String> applied = new LinkedHashSet<>();
        for (Receiver.Received message : messages) {
            WebhookMessages.Message checked = checks.check(message.body(), message.headers());
            if (applied.add(checked.webhookId())) {
                sequences.computeIfAbsent(checked.clientKey(), c -> new ArrayList<>()).add(checked.sequence());
            }
        }
        return sequences;
    }

    /** Waits until {@code endpoint} took {@code count} distinct messages; answers everything it took. */
    private static List<Receiver.Received> awaitDistinct(String endpoint, int count) {
        await().atMost(Duration.ofSeconds(60)).until(
                () -> receiver.at(endpoint).stream().map(Receiver.Received::webhookId).distinct().count() >= count);
        return receiver.at(endpoint);
    }

    private static void refused(Http.Response response, int status, String code, String field) {
        assertThat(RefusalCheck.problem(response, status, code).get("field").asString()).isEqualTo(field);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** An organisation of this test alone, so that its subscriptions see its own records only. */
    private static final class Organisation {

        final String id = "dlv-" + UUID.randomUUID().toString().substring(0, 8);
        private final Http service = new Http(Integer.parseInt(delivery.getEnvironment()
                                                                       .getProperty("local.server.port")));

        Http as(String subject, String role) {
            return service.withToken(TestIssuer.shared().token(subject, id, List.of("clinic-a"), List.of(role)));
        }

        Http officer() {
            return as("cole", "COMPLIANCE_OFFICER");
        }

        Http integrator() {
            return as("ivy-integrator", "INTEGRATOR");
        }

        JsonNode subscribe(String endpoint, List<String> types) throws Exception {
            Http.Response made = officer().post("/api/webhooks", JSON.writeValueAsString(Map.of(
                    "name", endpoint, "endpoint", receiver.url(endpoint), "eventTypes", types)));
            assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
            assertThat(made.header("Location")).endsWith("/api/webhooks/" + made.body().get("subscriptionId").asString());
            return made.body();
        }

        /** A client registered at clinic-a, with {@code grants} consents given: 1 + grants events. */
        String client(int grants) {
            ConsentApi consent = new ConsentApi(ServiceBeside.of(ConsentServiceApplication.class).withToken(
                    TestIssuer.shared().token("pat", id, List.of("clinic-a"), List.of("PRACTITIONER"))));
            String client = consent.register(id, "clinic-a");
            for (int i = 0; i < grants; i++) {
                consent.grant(client, i == 0 ? "[\"CRANIOSACRAL_THERAPY\"]" : "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]",
                              Duration.ofMinutes(5 - i));
            }
            return client;
        }
    }
}
