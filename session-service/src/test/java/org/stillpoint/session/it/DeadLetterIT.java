package org.stillpoint.session.it;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.HandMadeRecords;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One bad record on the consent topic holds only its own client: it is parked (after bounded retries when it fails,
 * at once when it is invalid), that client's decisions answer {@code 503 client-record-held} and its later records
 * queue behind it, every other client is decided as usual; health says so; an operator lists, drops or retries it,
 * and the queued records are then applied in order. Every act is an event on the access topic.
 */
class DeadLetterIT extends OnBackends {

    private static final String CONSENT_TOPIC = "stillpoint.consent.v1";
    private static final String CONSENT_SOURCE = "/stillpoint/consent-service";
    private static final String GROUP = "session-service.consent-view";

    @Test
    void aPoisonRecordHoldsOnlyItsClientUntilAnOperatorReleasesIt() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http operator = new Http(port).withToken(TestIssuer.shared().operator());
        Instant since = Instant.now().minus(Duration.ofDays(5));
        String poisoned = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] poisonedConsent = ConsentApi.beside(ConsentServiceApplication.class).grant(
                poisoned, "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]", since.toString());
        String other = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] otherConsent = ConsentApi.beside(ConsentServiceApplication.class).grant(other, "[\"CRANIOSACRAL_THERAPY\"]", since.toString());
        String forged = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] forgedConsent = ConsentApi.beside(ConsentServiceApplication.class).grant(forged, "[\"CRANIOSACRAL_THERAPY\"]", since.toString());
        assertThat(record(sessions, poisoned, "CRANIOSACRAL_THERAPY", poisonedConsent[1]).status()).isEqualTo(201);
        assertThat(record(sessions, forged, "CRANIOSACRAL_THERAPY", forgedConsent[1]).status()).isEqualTo(201);

        // an unreadable body for one client; a genuine body under another client's key; a genuine body from a source
        // that does not own the topic; a type nobody knows
        HandMadeRecords.send(CONSENT_TOPIC, poisoned, HandMadeRecords.headers(
                "stillpoint.consent.granted.v1", CONSENT_SOURCE, poisoned, poisoned, 50), "{not json");
        String genuine = genuineValue(forged);
        String stranger = UUID.randomUUID().toString();
        HandMadeRecords.send(CONSENT_TOPIC, stranger, HandMadeRecords.headers(
                "stillpoint.consent.granted.v1", CONSENT_SOURCE, stranger, stranger, 1), genuine);
        HandMadeRecords.send(CONSENT_TOPIC, forged, HandMadeRecords.headers(
                "stillpoint.consent.granted.v1", "/somebody-else", forged, forged, 7), genuine);
        String unknown = UUID.randomUUID().toString();
        HandMadeRecords.send(CONSENT_TOPIC, unknown, HandMadeRecords.headers(
                "stillpoint.consent.renamed.v9", CONSENT_SOURCE, unknown, unknown, 0), "{}");

        Map<String, String> reasons = await().atMost(Duration.ofSeconds(30)).until(
                () -> reasonsByClient(operator), r -> r.keySet().containsAll(List.of(poisoned, stranger, forged, unknown)));
        assertThat(reasons).containsEntry(poisoned, "unreadable").containsEntry(stranger, "key-mismatch")
                           .containsEntry(forged, "foreign-source").containsEntry(unknown, "unknown-type");
        JsonNode poison = letterOf(operator, poisoned);
        assertThat(poison.get("bodyShape").asString()).isEqualTo("unreadable (9 bytes)");
        assertThat(poison.get("attributes").get("ce_type").asString()).isEqualTo("stillpoint.consent.granted.v1");
        assertThat(letterOf(operator, stranger).toString()).doesNotContain("harbour-street", "cst-ser-intake");

        // an operator of another organisation sees none of it and acts on none of it: as if it did not exist
        Http riverside = new Http(port).withToken(TestIssuer.shared().token("oli-operator", "riverside", List.of(),
                                                                            List.of("OPERATOR")));
        assertThat(letters(riverside, "all")).noneMatch(l -> l.get("clientId").asString().equals(poisoned));
        String poisonLetter = poison.get("id").asString();
        for (Http.Response elsewhere : List.of(
                riverside.get("/api/operations/dead-letters/" + poisonLetter),
                riverside.post("/api/operations/dead-letters/" + poisonLetter + "/retry", ""),
                riverside.post("/api/operations/dead-letters/" + poisonLetter + "/drop", "{\"reason\":\"forged\"}"))) {
            assertThat(elsewhere.status()).as(elsewhere.raw().body()).isEqualTo(404);
        }
        riverside.post("/api/operations/dead-letters/retry", "");
        assertThat(letterOf(operator, poisoned).get("status").asString()).as("untouched by the other organisation")
                                                                       .isEqualTo("PARKED");

        // the held clients fail closed; every other client is decided as usual; a record from a source that does not
        // own the topic is no producer's: parked and reported, it holds nobody
        Http.Response held = record(sessions, poisoned, "CRANIOSACRAL_THERAPY", poisonedConsent[1]);
        assertThat(held.status()).as(held.raw().body()).isEqualTo(503);
        assertThat(held.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:client-record-held");
        assertThat(record(sessions, forged, "CRANIOSACRAL_THERAPY", forgedConsent[1]).status()).isEqualTo(201);
        assertThat(record(sessions, other, "CRANIOSACRAL_THERAPY", otherConsent[1]).status()).isEqualTo(201);

        // a genuine later record of the held client queues behind the parked one
        long afterWithdrawal = ConsentApi.beside(ConsentServiceApplication.class).withdraw(poisoned, poisonedConsent[0],
                                                                       "[\"SOMATOEMOTIONAL_RELEASE\"]");
        await().atMost(Duration.ofSeconds(30)).until(() -> letters(operator, "open").stream().anyMatch(
                l -> l.get("clientId").asString().equals(poisoned) && l.get("status").asString().equals("QUEUED")));

        Http.Response health = new Http(port).withToken(TestIssuer.shared().operator()).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asString()).isEqualTo("DEGRADED");
        assertThat(health.body().get("components").get("consumers").get("status").asString()).isEqualTo("DEGRADED");
        assertThat(health.body().get("components").get("mongo").get("status").asString()).isEqualTo("UP");

        // only operators act, and dropping needs a reason from the vocabulary (no free text outlives an erasure)
        assertThat(sessions.get("/api/operations/dead-letters").status()).isEqualTo(403);
        String poisonId = poison.get("id").asString();
        Http.Response noReason = operator.post("/api/operations/dead-letters/" + poisonId + "/drop", "{\"reason\":\" \"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.raw().body()).contains("reason");
        Http.Response freeText = operator.post("/api/operations/dead-letters/" + poisonId + "/drop",
                                               "{\"reason\":\"Robin Ashdown asked\"}");
        assertThat(freeText.status()).isEqualTo(400);
        assertThat(freeText.raw().body()).contains("reason", "forged|duplicate");
        Http.Response badTicket = operator.post("/api/operations/dead-letters/" + poisonId + "/drop",
                                                "{\"reason\":\"unreadable\",\"ticket\":\"call Robin\"}");
        assertThat(badTicket.status()).isEqualTo(400);
        assertThat(badTicket.raw().body()).contains("ticket");

        Http.Response dropped = operator.post("/api/operations/dead-letters/" + poisonId + "/drop",
                                              "{\"reason\":\"unreadable\",\"ticket\":\"OPS-17\"}");
        assertThat(dropped.status()).as(dropped.raw().body()).isEqualTo(200);
        assertThat(dropped.body().get("dropped").asInt()).isEqualTo(1);
        assertThat(dropped.body().get("applied").asInt()).isEqualTo(1);
        assertThat(dropped.body().get("held").asBoolean()).isFalse();
        // the queued withdrawal was applied: SER is withdrawn, CST still covered
        Http.Response ser = record(sessions, poisoned, "SOMATOEMOTIONAL_RELEASE", Long.toString(afterWithdrawal));
        assertThat(ser.status()).as(ser.raw().body()).isEqualTo(409);
        assertThat(ser.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:consent-missing");
        assertThat(record(sessions, poisoned, "CRANIOSACRAL_THERAPY", Long.toString(afterWithdrawal)).status())
                .isEqualTo(201);
        assertThat(operator.post("/api/operations/dead-letters/" + poisonId + "/drop", "{\"reason\":\"duplicate\"}").status())
                .isEqualTo(409);

        try (TopicReader deadLetters = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.dlt." + GROUP);
             TopicReader access = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.access.v1")) {
            ConsumerRecord<String, byte[]> parked = await().atMost(Duration.ofSeconds(30))
                                                           .until(() -> deadLetters.keyed(poisoned), r -> !r.isEmpty()).get(0);
            assertThat(new String(parked.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(CloudEventHeaders.text(parked.headers(), "kafka_dlt-original-topic")).isEqualTo(CONSENT_TOPIC);
            assertThat(parked.headers().lastHeader("kafka_dlt-exception-stacktrace")).isNull();
            ConsumerRecord<String, byte[]> act = await().atMost(Duration.ofSeconds(30)).until(
                    () -> access.keyed(poisoned).stream().filter(r -> "stillpoint.access.dead-letter-handled.v1".equals(
                            CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))).toList(), r -> !r.isEmpty()).get(0);
            assertThat(new String(act.value(), StandardCharsets.UTF_8)).contains("\"action\":\"DROPPED\"", "ola-operator",
                                                                                 "\"reason\":\"unreadable OPS-17\"");
        }

        for (String key : List.of(stranger, forged, unknown)) {
            Http.Response drop = operator.post("/api/operations/dead-letters/" + letterOf(operator, key).get("id").asString()
                                                       + "/drop", "{\"reason\":\"forged\"}");
            assertThat(drop.status()).as(drop.raw().body()).isEqualTo(200);
        }
        assertThat(record(sessions, forged, "CRANIOSACRAL_THERAPY", forgedConsent[1]).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                new Http(port).withToken(TestIssuer.shared().operator()).get("/actuator/health").body().get("components").get("consumers").get("status").asString())
                .isEqualTo("UP"));
    }

    /**
     * A registration of an existing client into another organisation, with a high sequence — as an intruder with write
     * access to the topic would send it: unsigned, signed with a key of its own under the consent service's key id,
     * signed with another service's key, or a genuinely signed record changed after signing. Each is parked with what
     * is wrong with its signature and reported as a security event for the client it names, but holds nobody: the
     * client stays where it was and its rightful practitioner records sessions as before, with or without a drop.
     */
    @Test
    void aForgedRecordIsParkedForItsSignatureAndMovesNoClient() throws Exception {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http operator = new Http(port).withToken(TestIssuer.shared().operator());
        Http elsewhere = new Http(port).withToken(TestIssuer.shared().token(
                "eve-elsewhere", "elsewhere", List.of("harbour-street"), List.of("PRACTITIONER")));
        Instant since = Instant.now().minus(Duration.ofDays(5));
        Map<String, String> reasonOf = new LinkedHashMap<>();
        Map<String, String[]> consents = new HashMap<>();
        for (String expected : List.of("unsigned", "bad-signature", "unknown-key", "tampered")) {
            String client = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
            consents.put(client, ConsentApi.beside(ConsentServiceApplication.class).grant(client, "[\"CRANIOSACRAL_THERAPY\"]",
                                                                      since.toString()));
            assertThat(record(sessions, client, "CRANIOSACRAL_THERAPY", consents.get(client)[1]).status())
                    .isEqualTo(201);
            String moved = registrationValue(client).replace("\"stillwater\"", "\"elsewhere\"");
            Map<String, String> headers = HandMadeRecords.headers("stillpoint.consent.client-registered.v1",
                                                                  CONSENT_SOURCE, client, client, 9_999);
            switch (expected) {
                case "unsigned" -> HandMadeRecords.sendUnsigned(CONSENT_TOPIC, client, headers, moved);
                case "bad-signature" -> HandMadeRecords.send(CONSENT_TOPIC, client, headers, moved, new ECKeyGenerator(
                        Curve.P_256).keyID(TestIssuer.shared().signingKey("consent-service").getKeyID()).generate());
                case "unknown-key" -> HandMadeRecords.send(CONSENT_TOPIC, client, headers, moved,
                                                           TestIssuer.shared().signingKey("session-service"));
                default -> {
                    // signed as consent-service signs, then the sequence raised on the way
                    ProducerRecord<String, byte[]> signed = HandMadeRecords.sign(
                            new ProducerRecord<>(CONSENT_TOPIC, client, moved.getBytes(StandardCharsets.UTF_8)),
                            TestIssuer.shared().signingKey("consent-service"));
                    Map<String, String> tampered = new LinkedHashMap<>(headers);
                    tampered.put(CloudEventHeaders.SIGNATURE, new String(
                            signed.headers().lastHeader(CloudEventHeaders.SIGNATURE).value(), StandardCharsets.UTF_8));
                    tampered.put("ce_signatureproof", new String(
                            signed.headers().lastHeader("ce_signatureproof").value(), StandardCharsets.UTF_8));
                    HandMadeRecords.sendUnsigned(CONSENT_TOPIC, client, tampered, moved);
                }
            }
            reasonOf.put(client, expected.equals("tampered") ? "bad-signature" : expected);
        }

        Map<String, String> reasons = await().atMost(Duration.ofSeconds(30)).until(
                () -> reasonsByClient(operator), r -> r.keySet().containsAll(reasonOf.keySet()));
        reasonOf.forEach((client, reason) -> assertThat(reasons).as(client).containsEntry(client, reason));
        Http.Response health = new Http(port).withToken(TestIssuer.shared().operator()).get("/actuator/health");
        assertThat(health.raw().body()).contains("\"unauthenticatedRecords\"");
        try (TopicReader access = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.access.v1")) {
            for (String client : reasonOf.keySet()) {
                String event = new String(await().atMost(Duration.ofSeconds(30)).until(
                        () -> access.keyed(client).stream().filter(r -> "stillpoint.access.dead-letter-handled.v1".equals(
                                CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))).toList(),
                        r -> !r.isEmpty()).get(0).value(), StandardCharsets.UTF_8);
                assertThat(event).as("a security event for the client named")
                                 .contains("\"action\":\"REFUSED\"", "system/record-verifier", reasonOf.get(client));
            }
        }
        for (String client : reasonOf.keySet()) {
            assertThat(record(sessions, client, "CRANIOSACRAL_THERAPY", consents.get(client)[1]).status())
                    .as("the forged record holds nobody: the rightful practitioner, before any drop").isEqualTo(201);
            assertThat(record(elsewhere, client, "CRANIOSACRAL_THERAPY", consents.get(client)[1]).status())
                    .as("the other organisation sees nothing of the client").isIn(403, 404);
            assertThat(database.getCollection("consent_view").find(Filters.eq("_id", client)).first()
                               .getString("organisationId")).isEqualTo("stillwater");
            Http.Response drop = operator.post("/api/operations/dead-letters/" + letterOf(operator, client).get("id")
                    .asString() + "/drop", "{\"reason\":\"forged\"}");
            assertThat(drop.status()).as(drop.raw().body()).isEqualTo(200);
            assertThat(record(sessions, client, "CRANIOSACRAL_THERAPY", consents.get(client)[1]).status())
                    .as("the rightful practitioner, after the drop").isEqualTo(201);
        }
    }

    private static String registrationValue(String clientId) {
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), CONSENT_TOPIC)) {
            ConsumerRecord<String, byte[]> registered = await().atMost(Duration.ofSeconds(30)).until(
                    () -> topic.keyed(clientId).stream().filter(r -> "stillpoint.consent.client-registered.v1".equals(
                            CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))).toList(), r -> !r.isEmpty()).get(0);
            return new String(registered.value(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRecordThatFailsIsRetriedThenParkedAndAppliedByARetryOnceTheCauseIsGone() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http operator = new Http(port).withToken(TestIssuer.shared().operator());
        Instant since = Instant.now().minus(Duration.ofDays(5));
        String client = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] first = ConsentApi.beside(ConsentServiceApplication.class).grant(client, "[\"CRANIOSACRAL_THERAPY\"]", since.toString());
        assertThat(record(sessions, client, "CRANIOSACRAL_THERAPY", first[1]).status()).isEqualTo(201);

        // the client's view document is damaged: the next record cannot be applied however often it is tried
        Document original = database.getCollection("consent_view").find(Filters.eq("_id", client)).first();
        database.getCollection("consent_view").updateOne(Filters.eq("_id", client), Updates.set("sequence", "damaged"));
        String[] second = ConsentApi.beside(ConsentServiceApplication.class).grant(client, "[\"VERBAL_PROCESSING\"]", since.toString());
        JsonNode letter = await().atMost(Duration.ofSeconds(30)).until(
                () -> letters(operator, "open").stream().filter(l -> l.get("clientId").asString().equals(client)).findFirst(),
                Optional::isPresent).get();
        assertThat(letter.get("reason").asString()).isEqualTo("failed");
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
        assertThat(letter.get("status").asString()).isEqualTo("PARKED");
        assertThat(record(sessions, client, "CRANIOSACRAL_THERAPY", first[1]).status()).isEqualTo(503);

        // a retry while the cause is still there parks it again, counted
        Http.Response again = operator.post("/api/operations/dead-letters/" + letter.get("id").asString() + "/retry", "");
        assertThat(again.status()).as(again.raw().body()).isEqualTo(200);
        assertThat(again.body().get("held").asBoolean()).isTrue();
        assertThat(letterOf(operator, client).get("attempts").asInt()).isEqualTo(2);

        database.getCollection("consent_view").replaceOne(Filters.eq("_id", client), original);
        Http.Response retried = operator.post("/api/operations/dead-letters/retry", "");
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
        Http.Response verbal = record(sessions, client, "VERBAL_PROCESSING", second[1]);
        assertThat(verbal.status()).as(verbal.raw().body()).isEqualTo(201);
        assertThat(letters(operator, "all").stream().filter(l -> l.get("clientId").asString().equals(client))
                                           .map(l -> l.get("status").asString())).containsExactly("APPLIED");
    }

    @Test
    void duplicatedAndReorderedRecordsAreAppliedOnceAndInTheClientsOrder() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http operator = new Http(port).withToken(TestIssuer.shared().operator());
        String original = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] granted = ConsentApi.beside(ConsentServiceApplication.class).grant(original, "[\"CRANIOSACRAL_THERAPY\"]",
                                                              Instant.now().minus(Duration.ofDays(2)).toString());
        assertThat(record(sessions, original, "CRANIOSACRAL_THERAPY", granted[1]).status()).isEqualTo(201);
        List<ConsumerRecord<String, byte[]>> genuine;
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), CONSENT_TOPIC)) {
            genuine = await().atMost(Duration.ofSeconds(30)).until(() -> topic.keyed(original), r -> r.size() == 2);
        }
        // the same records delivered again change nothing
        genuine.forEach(r -> HandMadeRecords.send(CONSENT_TOPIC, original, headersOf(r), value(r)));

        // another client's history arriving out of order, and once twice: its second event first
        String copy = UUID.randomUUID().toString();
        Map<String, String> registered = copied(genuine.get(0), original, copy);
        Map<String, String> grant = copied(genuine.get(1), original, copy);
        HandMadeRecords.send(CONSENT_TOPIC, copy, grant, value(genuine.get(1)).replace(original, copy));
        HandMadeRecords.send(CONSENT_TOPIC, copy, registered, value(genuine.get(0)).replace(original, copy));
        HandMadeRecords.send(CONSENT_TOPIC, copy, registered, value(genuine.get(0)).replace(original, copy));

        JsonNode gap = await().atMost(Duration.ofSeconds(30)).until(
                () -> letters(operator, "open").stream().filter(l -> l.get("clientId").asString().equals(copy)).toList(),
                l -> l.size() == 3).stream().filter(l -> l.get("status").asString().equals("PARKED")).findFirst().orElseThrow();
        assertThat(gap.get("reason").asString()).isEqualTo("sequence-gap");
        assertThat(record(sessions, copy, "CRANIOSACRAL_THERAPY", "1").status()).isEqualTo(503);
        assertThat(record(sessions, original, "CRANIOSACRAL_THERAPY", granted[1]).status()).isEqualTo(201);
        assertThat(database.getCollection("consent_view").find(Filters.eq("_id", original)).first().getLong("sequence"))
                .isEqualTo(1);

        Http.Response retried = operator.post("/api/operations/dead-letters/" + gap.get("id").asString() + "/retry", "");
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
        assertThat(retried.body().get("held").asBoolean()).isFalse();
        assertThat(record(sessions, copy, "CRANIOSACRAL_THERAPY", "1").status()).isEqualTo(201);
        Document view = database.getCollection("consent_view").find(Filters.eq("_id", copy)).first();
        assertThat(view.getLong("sequence")).isEqualTo(1);
        assertThat(view.getList("consents", Document.class)).hasSize(1);
    }

    private static Map<String, String> headersOf(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }

    private static Map<String, String> copied(ConsumerRecord<String, byte[]> record, String from, String to) {
        Map<String, String> headers = headersOf(record);
        headers.replaceAll((name, value) -> value.replace(from, to));
        headers.put(CloudEventHeaders.ID, UUID.randomUUID().toString());
        return headers;
    }

    private static String value(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static String genuineValue(String clientId) {
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), CONSENT_TOPIC)) {
            ConsumerRecord<String, byte[]> granted = await().atMost(Duration.ofSeconds(30)).until(
                    () -> topic.keyed(clientId).stream().filter(r -> "stillpoint.consent.granted.v1".equals(
                            CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))).toList(), r -> !r.isEmpty()).get(0);
            return new String(granted.value(), StandardCharsets.UTF_8);
        }
    }

    private static List<JsonNode> letters(Http operator, String status) {
        Http.Response response = operator.get("/api/operations/dead-letters?status=" + status);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.body().values().stream().toList();
    }

    private static Map<String, String> reasonsByClient(Http operator) {
        Map<String, String> reasons = new HashMap<>();
        letters(operator, "open").stream().filter(l -> l.get("status").asString().equals("PARKED"))
                                 .forEach(l -> reasons.put(l.get("clientId").asString(), l.get("reason").asString()));
        return reasons;
    }

    private static JsonNode letterOf(Http operator, String clientId) {
        return letters(operator, "all").stream().filter(l -> l.get("clientId").asString().equals(clientId))
                                       .filter(l -> !l.get("status").asString().equals("QUEUED")).findFirst().orElseThrow();
    }

    private static Http.Response record(Http http, String clientId, String modality, String consentSequence) {
        return http.post("/api/clients/" + clientId + "/sessions", """
                {"clinicId":"harbour-street","startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":60,
                 "modalities":["%s"],"consentSequence":%s}
                """.formatted(Instant.now(), modality, consentSequence));
    }
}
