package org.stillpoint.gateway.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.stillpoint.security.Role;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TopicReader;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads of a client's record and refused attempts reach {@code stillpoint.access.v1} as access events; and clinical
 * text never reaches a log, whatever path it takes through the suite.
 */
@UsesBackends
class AccessLogIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CANARY = "CANARY-c7f3a9e1-occipital-grief";

    private static TopicReader accesses;
    private static Fixtures fixtures;

    @BeforeAll
    static void readTheAccessTopic() {
        fixtures = new Fixtures(Suite.gateway());
        accesses = TopicReader.fromNow(Backends.shared().kafkaBootstrapServers(), "stillpoint.access.v1");
    }

    @AfterAll
    static void close() {
        accesses.close();
    }

    @Test
    void readsAndDenialsAppearOnTheAccessTopic() {
        String[] client = fixtures.client();
        String clientId = client[0];
        Http gateway = Suite.gateway();
        String owner = "practitioner@harbour-street.stillwater";

        assertThat(gateway.withToken(Callers.owner()).get("/api/clients/" + clientId).status()).isEqualTo(200);
        assertThat(gateway.withToken(Callers.owner()).get("/api/clients/" + clientId + "/sessions").status()).isEqualTo(200);
        assertThat(gateway.withToken(Callers.OTHER_CLINIC.token(Role.PRACTITIONER))
                          .get("/api/clients/" + clientId + "/referrals").status()).isEqualTo(403);
        assertThat(gateway.withToken(Callers.OTHER_CLINIC.token(Role.PRACTITIONER))
                          .post("/api/clients/" + clientId + "/sessions", Fixtures.sessionBody(client[2], Fixtures.NOTE))
                          .status()).isEqualTo(403);
        assertThat(gateway.withToken(Callers.OTHER_ORGANISATION.token(Role.COMPLIANCE_OFFICER))
                          .get("/api/clients/" + clientId + "/consents").status()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> events = accesses.keyed(clientId).stream().map(AccessLogIT::json).toList();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.get("outcome").asString()).isEqualTo("ALLOWED");
                assertThat(e.get("action").asString()).isEqualTo("READ");
                assertThat(e.get("actor").get("subject").asString()).isEqualTo(owner);
                assertThat(e.get("resource").asString()).isEqualTo("GET /api/clients/" + clientId);
                assertThat(e.get("service").asString()).isEqualTo("consent-service");
                assertThat(e.get("clinicId").asString()).isEqualTo("harbour-street");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.get("outcome").asString()).isEqualTo("ALLOWED");
                assertThat(e.get("resource").asString()).isEqualTo("GET /api/clients/" + clientId + "/sessions");
                assertThat(e.get("service").asString()).isEqualTo("session-service");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.get("outcome").asString()).isEqualTo("DENIED");
                assertThat(e.get("action").asString()).isEqualTo("READ");
                assertThat(e.get("reason").asString()).isEqualTo("other-clinic");
                assertThat(e.get("actorClinics").values()).extracting(JsonNode::asString).containsExactly("mill-lane");
                assertThat(e.get("service").asString()).isEqualTo("referral-service");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.get("outcome").asString()).isEqualTo("DENIED");
                assertThat(e.get("action").asString()).isEqualTo("WRITE");
                assertThat(e.get("resource").asString()).isEqualTo("POST /api/clients/" + clientId + "/sessions");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.get("outcome").asString()).isEqualTo("DENIED");
                assertThat(e.get("reason").asString()).isEqualTo("other-organisation");
                assertThat(e.get("actorOrganisationId").asString()).isEqualTo("riverside");
            });
        });
        ConsumerRecord<String, byte[]> any = accesses.keyed(clientId).getFirst();
        assertThat(new String(any.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("stillpoint.access.client-accessed.v1");
        assertThat(accesses.keyed(clientId).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                .noneMatch(v -> v.contains("Robin") || v.contains("occiput"));
    }

    /**
     * The output is captured around this test only: registered on the class, the capture's after-all would run after
     * a skip on backends that cannot run here (its before-all never did) and fail the skipped class.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void clinicalTextNeverReachesALog(CapturedOutput output) throws Exception {
        Logger dispatcher = (Logger) LoggerFactory.getLogger("org.springframework.web.servlet.DispatcherServlet");
        Logger own = (Logger) LoggerFactory.getLogger("org.stillpoint");
        Level before = dispatcher.getLevel();
        dispatcher.setLevel(Level.DEBUG);
        own.setLevel(Level.DEBUG);
        try {
            String[] client = fixtures.client();
            String clientId = client[0];
            Http owner = Suite.gateway().withToken(Callers.owner());
            String note = Fixtures.NOTE.replace("Restriction at the occiput", CANARY);
            Http.Response session = owner.post("/api/clients/" + clientId + "/sessions", Fixtures.sessionBody(client[2], note));
            assertThat(session.status()).as(session.raw().body()).isEqualTo(201);
            String path = "/api/clients/" + clientId + "/sessions/" + session.body().get("sessionId").asString();
            assertThat(owner.get(path).raw().body()).contains(CANARY);
            assertThat(owner.post(path + "/amendments", "{\"section\":\"observations\",\"text\":\"" + CANARY
                    + "\",\"reason\":\"" + CANARY + "\"}").status()).as("amending an unsigned note").isEqualTo(409);
            assertThat(owner.put(path + "/note", note).status()).isEqualTo(200);
            assertThat(owner.post(path + "/signature", "").status()).isEqualTo(201);
            assertThat(owner.post(path + "/amendments", "{\"section\":\"observations\",\"text\":\"" + CANARY
                    + "\",\"reason\":\"" + CANARY + "\"}").status()).isEqualTo(201);
            assertThat(owner.post("/api/clients/" + clientId + "/referrals",
                                  Fixtures.referralBody(client[2]).replace("Persistent headaches", CANARY)).status())
                    .isEqualTo(201);
            assertThat(owner.post("/api/clients/" + clientId + "/sessions",
                                  Fixtures.sessionBody(client[2], "{\"observations\":\"" + CANARY + "x".repeat(70_000) + "\"}"))
                            .status()).as("a body over the cap").isEqualTo(413);
            assertThat(Suite.gateway().withToken(Callers.OTHER_CLINIC.token(Role.PRACTITIONER))
                            .post(path + "/amendments", "{\"section\":\"observations\",\"text\":\"" + CANARY
                                    + "\",\"reason\":\"x\"}").status()).isEqualTo(403);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Suite.gatewayLogs())
                    .as("the gateway logged the requests").contains("POST " + path + "/amendments 201"));
            assertThat(output.getAll()).as("the services logged the requests")
                                       .contains("POST \"" + path + "/amendments\"");
            assertThat(output.getAll()).doesNotContain(CANARY);
            assertThat(Suite.gatewayLogs()).doesNotContain(CANARY);
        } finally {
            dispatcher.setLevel(before);
            own.setLevel(null);
        }
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        return JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
    }
}
