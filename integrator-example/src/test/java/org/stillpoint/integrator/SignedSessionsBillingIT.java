package org.stillpoint.integrator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.HandMadeRecords;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TestJvm;
import org.stillpoint.testsupport.UsesBackends;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example consumer as an integrator runs it, a process of its own on its own class path (no Spring): sessions are
 * recorded and signed through the services' APIs while it follows stillwater's session topic; it is killed mid-stream
 * and started again; a record signed with a key session-service does not publish is put on the topic; finally it
 * replays the topic from the beginning. Each time its per-clinic counts are exactly the signed sessions recorded —
 * none of harmony-health's, which are on another organisation's topic — and the forged record is rejected.
 */
@UsesBackends
class SignedSessionsBillingIT {

    private static final String TOPIC = "stillpoint.session.v1.stillwater";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final Map<String, Integer> signed = new TreeMap<>();
    private int processes;

    @Test
    void countsEachSignedSessionExactlyOnceThroughAKillARestartAndAReplay() throws Exception {
        ConsentApi consent = new ConsentApi(ServiceBeside.of(ConsentServiceApplication.class));
        Http sessions = ServiceBeside.of(SessionServiceApplication.class);
        String ours = TestIssuer.shared().token("pia-practitioner", "stillwater", List.of("harbour-street", "mill-lane"),
                                                List.of("PRACTITIONER"));
        String theirs = TestIssuer.shared().token("hal-practitioner", "harmony-health", List.of("quay-side"),
                                                  List.of("PRACTITIONER"));
        List<Client> clients = List.of(client(consent, ours, "stillwater", "harbour-street"),
                                       client(consent, ours, "stillwater", "mill-lane"),
                                       client(consent, theirs, "harmony-health", "quay-side"));
        Path state = directory.resolve("billing.json");

        for (int i = 0; i < 6; i++) {
            record(sessions, clients.get(i % 3), i % 2 == 0);
        }
        int beforeKill = total();
        Process first = start(state);
        await().atMost(Duration.ofSeconds(60)).until(() -> signedSoFar(state) > 0);
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 18; i++) {
                record(sessions, clients.get(i % 3), i % 3 != 1);
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> signedSoFar(state) > beforeKill + 2);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long endAtKill = endOffset();
        writer.join(Duration.ofMinutes(3));
        assertThat(writer.isAlive()).isFalse();
        assertThat(endOffset()).as("records were still being written when it was killed").isGreaterThan(endAtKill);

        // signed with another key under session-service's key id: rejected, never counted
        Client forged = clients.get(0);
        String forgedSession = record(sessions, forged, false);
        HandMadeRecords.send(TOPIC, forged.id(), HandMadeRecords.headers(
                "stillpoint.session.note-signed.v1", SignedSessionsBilling.SOURCE, forged.id(), forgedSession, 1),
                             "{\"clientId\":\"" + forged.id() + "\",\"sessionId\":\"" + forgedSession + "\"}",
                             new ECKeyGenerator(Curve.P_256).keyID("test-session-service").generate());

        Process second = start(state);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(read(state).signedSessions).isEqualTo(signed));
        await().atMost(Duration.ofSeconds(30)).until(() -> read(state).offsets.values().stream().mapToLong(o -> o).sum() == endOffset());
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        assertCounted(read(state));

        Process replay = start(state, "--replay", "--exit-when-caught-up");
        assertThat(replay.waitFor(90, TimeUnit.SECONDS)).as("a replay ends when caught up").isTrue();
        assertThat(replay.exitValue()).isZero();
        BillingState replayed = read(state);
        assertCounted(replayed);
        assertThat(replayed.duplicates).isZero();
    }

    private void assertCounted(BillingState state) {
        assertThat(state.signedSessions).isEqualTo(signed).doesNotContainKey("quay-side");
        assertThat(state.gaps).isEmpty();
        assertThat(state.rejected).singleElement().asString().endsWith(": bad-signature");
    }

    private record Client(String id, String token, String clinic, String organisation, String consentSequence) {
    }

    private static Client client(ConsentApi consent, String token, String organisation, String clinic) {
        ConsentApi as = new ConsentApi(consent.http().withToken(token));
        String id = as.register(organisation, clinic);
        String[] granted = as.grant(id, "[\"CRANIOSACRAL_THERAPY\"]", Instant.now().minus(Duration.ofDays(2)).toString());
        return new Client(id, token, clinic, organisation, granted[1]);
    }

    /** Records a session of {@code client} and, when {@code sign}, signs its note; answers the session id. */
    private String record(Http sessions, Client client, boolean sign) {
        Http as = sessions.withToken(client.token());
        Http.Response recorded = as.post("/api/clients/" + client.id() + "/sessions", """
                {"clinicId":"%s","startedAt":"%s","durationMinutes":50,"modalities":["CRANIOSACRAL_THERAPY"],
                 "notes":{"clientReported":"tension in the jaw","observations":"restricted cranial rhythm",
                          "techniques":"CV4","clientResponse":"settled"},"consentSequence":%s}
                """.formatted(client.clinic(), Instant.now().minus(Duration.ofHours(1)), client.consentSequence()));
        assertThat(recorded.status()).as(recorded.raw().body()).isEqualTo(201);
        String session = recorded.body().get("sessionId").asString();
        if (sign) {
            Http.Response signature = as.post("/api/clients/" + client.id() + "/sessions/" + session + "/signature", "");
            assertThat(signature.status()).as(signature.raw().body()).isEqualTo(201);
            if (client.organisation().equals("stillwater")) {
                synchronized (signed) {
                    signed.merge(client.clinic(), 1, Integer::sum);
                }
            }
        }
        return session;
    }

    private int total() {
        synchronized (signed) {
            return signed.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private Process start(Path state, String... options) throws IOException {
        String classpath = Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(Path.of("target/example-classpath.txt")).strip();
        List<String> command = new ArrayList<>(TestJvm.command());
        command.addAll(List.of("-cp", classpath,
                SignedSessionsBilling.class.getName(), "--bootstrap-servers", Backends.shared().kafkaBootstrapServers(),
                "--organisation", "stillwater", "--state", state.toString(),
                "--jwks-uri", TestIssuer.shared().signingJwksUri(), "--kafka", "max.poll.records=5"));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true)
                                          .redirectOutput(directory.resolve("billing-" + ++processes + ".log").toFile())
                                          .start();
    }

    private static BillingState read(Path state) throws IOException {
        return JSON.readValue(state.toFile(), BillingState.class);
    }

    private static int signedSoFar(Path state) throws IOException {
        if (!Files.exists(state)) {
            return 0;
        }
        return read(state).signedSessions.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static long endOffset() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Backends.shared().kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                                                      .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
