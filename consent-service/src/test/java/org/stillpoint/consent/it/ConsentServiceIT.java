package org.stillpoint.consent.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole path of a consent: HTTP → event store → Kafka (CloudEvents) → read model, on real backends. */
class ConsentServiceIT extends OnBackends {

    static final String TOPIC = "stillpoint.consent.v1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TopicReader topic;

    private Http http;

    @BeforeAll
    static void readTopic() {
        topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), TOPIC);
    }

    @AfterAll
    static void closeTopic() {
        topic.close();
    }

    private Http http() {
        if (http == null) {
            http = new Http(port).withToken(TestIssuer.shared().practitioner());
        }
        return http;
    }

    @Test
    void consentTravelsFromHttpThroughTheStoreToKafkaAndTheReadModel() {
        String clientId = Clients.register(http(), "Robin", "Ashdown", "1984-03-02");

        Http.Response client = http().get("/api/clients/" + clientId);
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.body().get("givenName").asString()).isEqualTo("Robin");
        assertThat(client.body().get("clinicId").asString()).isEqualTo("harbour-street");

        String consentId = Clients.grant(http(), clientId,
                                         "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\",\"INFORMATION_SHARING\"]",
                                         null);
        Http.Response consent = http().get("/api/clients/" + clientId + "/consents/" + consentId);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body().get("status").asString()).isEqualTo("ACTIVE");
        assertThat(texts(consent.body().get("activeScopes")))
                .containsExactlyInAnyOrder("CRANIOSACRAL_THERAPY", "SOMATOEMOTIONAL_RELEASE", "INFORMATION_SHARING");
        assertThat(consent.body().get("boundaries").asString()).isEqualTo("No work near the left shoulder.");

        Http.Response withdrawal = http().post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals",
                                               """
                                               {"scopes":["SOMATOEMOTIONAL_RELEASE"],"reason":"Prefers CST alone for now"}
                                               """);
        assertThat(withdrawal.status()).isEqualTo(201);
        assertThat(texts(withdrawal.body().get("remainingScopes")))
                .containsExactlyInAnyOrder("CRANIOSACRAL_THERAPY", "INFORMATION_SHARING");

        JsonNode after = http().get("/api/clients/" + clientId + "/consents").body().get("consents").get(0);
        assertThat(texts(after.get("activeScopes"))).containsExactlyInAnyOrder("CRANIOSACRAL_THERAPY", "INFORMATION_SHARING");
        assertThat(after.get("history").values()).extracting(h -> h.get("change").asString())
                                                  .containsExactly("GRANTED", "WITHDRAWN");
        assertThat(after.get("history").get(1).get("reason").asString()).isEqualTo("Prefers CST alone for now");

        List<Document> stored = database.getCollection("events")
                                        .find(new Document("streamKeys", new Document("$regex", "^" + clientId + "/")))
                                        .into(new ArrayList<>());
        String storedText = stored.stream().map(Document::toJson).collect(Collectors.joining());
        assertThat(stored).hasSize(3);
        assertThat(storedText).doesNotContain("Ashdown", "left shoulder", "Prefers CST");

        List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(30))
                                                              .until(() -> topic.keyed(clientId), r -> r.size() == 3);
        assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))
                           .containsExactly("stillpoint.consent.client-registered.v1",
                                            "stillpoint.consent.granted.v1", "stillpoint.consent.withdrawn.v1");
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(CloudEventHeaders.text(record.headers(), "ce_specversion")).isEqualTo("1.0");
            assertThat(CloudEventHeaders.text(record.headers(), CloudEventHeaders.SOURCE))
                    .isEqualTo("/stillpoint/consent-service");
            assertThat(CloudEventHeaders.text(record.headers(), CloudEventHeaders.SUBJECT)).isEqualTo(clientId);
            assertThat(CloudEventHeaders.text(record.headers(), CloudEventHeaders.CONTENT_TYPE))
                    .isEqualTo("application/json");
            assertThat(Instant.parse(CloudEventHeaders.text(record.headers(), CloudEventHeaders.TIME)))
                    .isBefore(Instant.now().plusSeconds(1));
            String body = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(JSON.readTree(body).get("clientId").asString()).isEqualTo(clientId);
            assertThat(body).doesNotContain("Ashdown", "Robin", "left shoulder", "Prefers CST");
        }
        assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.SEQUENCE))
                           .containsExactly("0", "1", "2");
        List<String> storedIds = stored.stream()
                                       .flatMap(d -> d.getList("events", Document.class).stream())
                                       .map(e -> e.getString("eventId")).toList();
        assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID))
                           .containsExactlyElementsOf(storedIds);
    }

    @Test
    void consentExpiresByItselfAndTheExpiryIsPublished() {
        // a damaged expiry ahead of it in the round stops nothing
        database.getCollection("consent_expiries").insertOne(new org.bson.Document("_id", "damaged/1")
                .append("clientId", "not-a-client-id").append("consentId", "not-a-consent-id")
                .append("expiresAt", java.util.Date.from(Instant.now().minusSeconds(60))));
        String clientId = Clients.register(http(), "Sam", "Okafor", "1990-11-20");
        String expiresAt = Instant.now().plusSeconds(2).toString();
        String consentId = Clients.grant(http(), clientId, "[\"CRANIOSACRAL_THERAPY\"]", expiresAt);
        assertThat(http().get("/api/clients/" + clientId + "/consents/" + consentId).body().get("status").asString())
                .isEqualTo("ACTIVE");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode history = http().get("/api/clients/" + clientId + "/consents/" + consentId).body().get("history");
            assertThat(history.values()).extracting(h -> h.get("change").asString()).containsExactly("GRANTED", "EXPIRED");
        });
        JsonNode consent = http().get("/api/clients/" + clientId + "/consents/" + consentId).body();
        assertThat(consent.get("status").asString()).isEqualTo("EXPIRED");
        assertThat(consent.get("activeScopes").size()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.keyed(clientId).stream()
                .map(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE)).toList(),
                types -> types.contains("stillpoint.consent.expired.v1"));

        Http.Response late = http().post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals", "{}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:consent-not-active");
    }

    private static List<String> texts(JsonNode array) {
        return array.values().stream().map(JsonNode::asString).toList();
    }
}
