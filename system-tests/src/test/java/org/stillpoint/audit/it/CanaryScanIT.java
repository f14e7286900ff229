package org.stillpoint.audit.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stillpoint.audit.AuditServiceApplication;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.referral.ReferralServiceApplication;
import org.stillpoint.platform.crypto.ClientKeys;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import org.stillpoint.testsupport.UsesBackends;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No personal data in clear anywhere (DESIGN §5): a canary value in every personal and free-text field of every command
 * — a client's names, date of birth, e-mail and phone, a guardian's name, a witness, boundaries, late-entry reasons, a
 * withdrawal's reason, every part of a session note, its revision and its amendment, a referral's reason, emergency
 * justification, recipient contact and status note — is then looked for in every record of every topic (values and
 * headers), every document of every MongoDB database, every log line written meanwhile, and the audit's exports. Each
 * canary is first read back through its service's API, so a canary that was never stored cannot pass the scan. Every
 * record of every event topic then reads with the CloudEvents SDK's own {@code CloudEventDeserializer}, every
 * attribute present.
 */
@UsesBackends
@SpringBootTest(classes = AuditServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CanaryScanIT {

    static {
        OwnConfiguration.of(AuditServiceApplication.class);
    }

    static final String DATABASE = "audit-canary-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OFFICER = TestIssuer.shared().complianceOfficer();
    /** What stays in clear by design (the AsyncAPI document says why): the recipient's name and organisation. */
    private static final String RECIPIENT = "Dr. Open Recipient";

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry, DATABASE);
        TestIssuer.shared().register(registry);
    }

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    ClientKeys auditKeys;

    private final Map<String, String> canaries = new LinkedHashMap<>();
    private static final String SIGN_KEY = "sign-" + UUID.randomUUID();
    private static final String AMEND_KEY = "amend-" + UUID.randomUUID();
    private static final String STATUS_KEY = "status-" + UUID.randomUUID();
    private String statusBody;
    private String amendBody;

    private String canary(String field) {
        String value = "Canary" + field.replaceAll("[^A-Za-z]", "") + UUID.randomUUID().toString().substring(0, 8);
        canaries.put(field, value);
        return value;
    }

    @Test
    void noCanaryOfAnyPersonalOrFreeTextFieldIsInClearOnAnyTopicInAnyDatabaseOrLog() throws Exception {
        String practitioner = TestIssuer.shared().practitioner();
        Http sessions = ServiceBeside.of(SessionServiceApplication.class).withToken(practitioner);
        Http referrals = ServiceBeside.of(ReferralServiceApplication.class).withToken(practitioner);
        // consent-service last, told where each part of a client's copy is: the copy is scanned like everything else
        List<String> copies = new ArrayList<>(ServiceBeside.copyParts("http://127.0.0.1:" + sessions.port(),
                                                                       "http://127.0.0.1:" + referrals.port(),
                                                                       "http://127.0.0.1:" + port));
        copies.add("--stillpoint.copies.check-interval=1s");
        Http consent = ServiceBeside.of(ConsentServiceApplication.class, copies).withToken(practitioner);
        // every service runs (each start resets the logging system): from here on every log line is kept
        Collection<String> logs = captureLogs();

        String email = "canary" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        canaries.put("email", email);
        String phone = "+44 7700 " + (100_000 + ThreadLocalRandom.current().nextInt(900_000));
        canaries.put("phone", phone);
        String birth = "1953-02-" + (10 + ThreadLocalRandom.current().nextInt(18));
        canaries.put("dateOfBirth", birth);
        Http.Response registered = consent.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"%s","familyName":"%s","dateOfBirth":"%s","email":"%s",
                 "phone":"%s"}
                """.formatted(canary("givenName"), canary("familyName"), birth, email, phone));
        assertThat(registered.status()).as(registered.raw().body()).isEqualTo(201);
        String client = registered.body().get("clientId").asString();

        Http.Response granted = consent.post("/api/clients/" + client + "/consents", """
                {"scopes":["CRANIOSACRAL_THERAPY","SOMATOEMOTIONAL_RELEASE","INFORMATION_SHARING"],
                 "method":"VERBAL_WITNESSED","grantedAt":"%s","lateEntryReason":"%s",
                 "grantor":{"kind":"GUARDIAN","name":"%s","relationship":"legal representative"},
                 "witness":"%s","boundaries":"%s",
                 "form":{"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}}
                """.formatted(Instant.now().minus(Duration.ofDays(3)), canary("consentLateEntryReason"),
                              canary("guardianName"), canary("witness"), canary("boundaries"), "ab".repeat(32)));
        assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
        String consentId = granted.body().get("consentId").asString();
        Http.Response withdrawn = consent.post("/api/clients/" + client + "/consents/" + consentId + "/withdrawals",
                "{\"scopes\":[\"SOMATOEMOTIONAL_RELEASE\"],\"reason\":\"" + canary("withdrawalReason") + "\"}");
        assertThat(withdrawn.status()).as(withdrawn.raw().body()).isEqualTo(201);
        String sequence = withdrawn.body().get("sequence").asString();

        Http.Response session = sessions.post("/api/clients/" + client + "/sessions", """
                {"clinicId":"harbour-street","startedAt":"%s","lateEntryReason":"%s","durationMinutes":50,
                 "modalities":["CRANIOSACRAL_THERAPY"],
                 "notes":{"clientReported":"%s","observations":"%s","techniques":"%s","clientResponse":"%s",
                          "pacing":{"pauses":2,"stopSignalUsed":true,"notes":"%s"},
                          "referral":{"recommended":true,"reason":"%s"}},"consentSequence":%s}
                """.formatted(Instant.now().minus(Duration.ofDays(2)), canary("sessionLateEntryReason"),
                              canary("clientReported"), canary("observations"), canary("techniques"),
                              canary("clientResponse"), canary("pacingNotes"), canary("recommendationReason"),
                              sequence));
        assertThat(session.status()).as(session.raw().body()).isEqualTo(201);
        String path = "/api/clients/" + client + "/sessions/" + session.body().get("sessionId").asString();
        Http.Response revised = sessions.put(path + "/note", """
                {"observations":"%s","techniques":"%s"}
                """.formatted(canary("revisedObservations"), canary("revisedTechniques")));
        assertThat(revised.status()).as(revised.raw().body()).isIn(200, 201);
        // the signature, the amendment and the status change carry an Idempotency-Key: their answers (a note opened for
        // its author, a referral's reason and contact) are not kept, and a replay after the erasure opens nothing
        assertThat(sessions.post(path + "/signature", "", "Idempotency-Key", SIGN_KEY).status()).isEqualTo(201);
        Http.Response amended = sessions.post(path + "/amendments", """
                {"section":"observations","text":"%s","reason":"%s"}
                """.formatted(canary("amendmentText"), canary("amendmentReason")), "Idempotency-Key", AMEND_KEY);
        assertThat(amended.status()).as(amended.raw().body()).isEqualTo(201);

        Http.Response referral = referrals.post("/api/clients/" + client + "/referrals", """
                {"urgency":"EMERGENCY","reason":"%s","emergencyJustification":"%s","sharedCategories":["DEMOGRAPHICS"],
                 "recipient":{"kind":"MEDICAL","name":"%s","organisation":"Open Practice",
                              "contact":{"email":"%s","phone":"%s"}},"consentSequence":%s}
                """.formatted(canary("referralReason"), canary("emergencyJustification"), RECIPIENT,
                              canary("recipientEmail").toLowerCase() + "@example.org", "+44 20 7946 "
                                      + (1000 + ThreadLocalRandom.current().nextInt(9000)), sequence));
        assertThat(referral.status()).as(referral.raw().body()).isEqualTo(201);
        String recipientEmail = canaries.get("recipientEmail").toLowerCase() + "@example.org";
        canaries.put("recipientEmail", recipientEmail);
        String referralPath = "/api/clients/" + client + "/referrals/" + referral.body().get("referralId").asString();
        String recipientPhone = referrals.get(referralPath).body().get("recipient").get("contact").get("phone").asString();
        canaries.put("recipientPhone", recipientPhone);
        statusBody = "{\"status\":\"ACKNOWLEDGED\",\"note\":\"" + canary("statusNote") + "\"}";
        amendBody = """
                {"section":"observations","text":"%s","reason":"%s"}
                """.formatted(canaries.get("amendmentText"), canaries.get("amendmentReason"));
        Http.Response status = referrals.post(referralPath + "/status", statusBody, "Idempotency-Key", STATUS_KEY);
        assertThat(status.status()).as(status.raw().body()).isEqualTo(201);

        // the client's own acts name them by their client id, never by their sign-in subject
        String robin = TestIssuer.shared().minter().mintClient(canary("clientSubject"), TestIssuer.ORGANISATION, client,
                                                              Duration.ofHours(1));
        Http.Response own = consent.withToken(robin).get("/api/me/consents");
        assertThat(own.status()).as(own.raw().body()).isEqualTo(200);
        Http.Response ownWithdrawal = consent.withToken(robin).post("/api/me/consents/" + consentId + "/withdrawals",
                "{\"scopes\":[\"INFORMATION_SHARING\"],\"reason\":\"" + canary("clientWithdrawalReason") + "\"}");
        assertThat(ownWithdrawal.status()).as(ownWithdrawal.raw().body()).isEqualTo(201);

        // without information-sharing consent now, an emergency referral goes out flagged; the officer's review notes
        // are sealed like any other free text
        Http.Response flagged = referrals.post("/api/clients/" + client + "/referrals", """
                {"urgency":"EMERGENCY","reason":"Collapsed in the session","emergencyJustification":"Paramedics asked",
                 "sharedCategories":["DEMOGRAPHICS"],"recipient":{"kind":"MEDICAL","name":"%s",
                 "contact":{"phone":"+44 20 7946 0000"}},"consentSequence":%s}
                """.formatted(RECIPIENT, ownWithdrawal.body().get("sequence").asString()));
        assertThat(flagged.status()).as(flagged.raw().body()).isEqualTo(201);
        assertThat(flagged.body().get("reviewRequired").asBoolean()).isTrue();
        String flaggedPath = "/api/clients/" + client + "/referrals/" + flagged.body().get("referralId").asString();
        Http.Response reviewed = referrals.withToken(OFFICER).post(flaggedPath + "/review",
                "{\"outcome\":\"APPROPRIATE\",\"notes\":\"" + canary("reviewNotes") + "\"}");
        assertThat(reviewed.status()).as(reviewed.raw().body()).isEqualTo(201);

        // every canary was stored: each service gives it back to a caller who may read it
        String answers = consent.get("/api/clients/" + client).raw().body()
                + consent.get("/api/clients/" + client + "/consents").raw().body()
                + sessions.get(path).raw().body() + referrals.get(referralPath).raw().body()
                + referrals.get(flaggedPath).raw().body();
        assertThat(canaries.entrySet()).filteredOn(c -> !c.getKey().equals("clientSubject"))
                                       .allSatisfy(c -> assertThat(answers).as("read back").contains(c.getValue()));

        // the audit has the whole history (the status change is the last event)
        Http audit = new Http(port).withToken(OFFICER);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                audit.get("/api/audit/clients/" + client + "/timeline").raw().body()).contains("status-changed"));
        List<String> exports = new ArrayList<>();
        for (String format : List.of("json", "csv", "fhir")) {
            Http.Response export = audit.get("/api/audit/clients/" + client + "/export?format=" + format);
            assertThat(export.status()).isEqualTo(200);
            exports.add(export.raw().body());
        }
        assertThat(String.join("", exports)).as("the exports name the recipient").contains(RECIPIENT);

        // the client's copy holds their record in clear for them — and is sealed at rest like everything else
        Http.Response asked = consent.withToken(robin).post("/api/me/copy-requests", "");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String copy = "/api/clients/" + client + "/copy-requests/" + asked.body().get("requestId").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> consent.withToken(robin).get("/api/me/copy-requests").body()
                .get("requests").get(0).get("status").asString(), "AWAITING_NOTES_DECISION"::equals);
        assertThat(consent.withToken(TestIssuer.shared().clinicAdmin())
                          .post(copy + "/notes-decision", "{\"release\":true}").status()).isEqualTo(201);
        String bundle = await().atMost(Duration.ofSeconds(60)).until(
                () -> consent.withToken(robin).get("/api/me/copy-requests").body().get("requests").get(0),
                r -> r.get("status").asString().equals("PRODUCED")).get("downloads").get("bundle").asString();
        String downloaded = consent.withToken(robin).get(bundle).raw().body();
        assertThat(List.of("givenName", "familyName", "boundaries", "witness", "withdrawalReason", "revisedObservations",
                           "amendmentText", "referralReason", "statusNote", "reviewNotes", "sessionLateEntryReason"))
                .as("the copy holds them").allSatisfy(field -> assertThat(downloaded).contains(canaries.get(field)));

        assertNoCanaryInClear("canaries found in clear", logs, exports);
        everyRecordReadsWithTheCloudEventsSdk(client);
        assertThat(logs).as("the log was captured").isNotEmpty();

        erasureLeavesNothingOfTheClientThatOpens(client, path, referralPath, logs);
    }

    /**
     * The erasure proof (DESIGN §6b): the client is erased with dual control; then every service's copy of the client's
     * key is a tombstone, no instance holds it unwrapped, no ciphertext of the client opens; reads answer the fact of
     * the erasure and writes are refused; the canaries are nowhere in clear (topics, databases, logs, exports, answers);
     * the ledger verifies; the timeline and the FHIR export still list every event, without personal data.
     */
    private void erasureLeavesNothingOfTheClientThatOpens(String client, String sessionPath, String referralPath,
                                                          Collection<String> logs) throws Exception {
        Http consent = ServiceBeside.of(ConsentServiceApplication.class);
        Http sessions = ServiceBeside.of(SessionServiceApplication.class);
        Http referrals = ServiceBeside.of(ReferralServiceApplication.class);
        Http.Response requested = consent.withToken(TestIssuer.shared().clinicAdmin())
                .post("/api/clients/" + client + "/erasure-requests",
                      "{\"legalBasis\":\"GDPR Art. 17(1)(a)\",\"reason\":\"" + canary("erasureReason") + "\"}");
        assertThat(requested.status()).as(requested.raw().body()).isEqualTo(201);
        Http.Response erased = consent.withToken(OFFICER).post(
                "/api/clients/" + client + "/erasure-requests/" + requested.body().get("requestId").asString()
                        + "/approval", "{\"justification\":\"" + canary("erasureJustification")
                        + "\",\"legalOverride\":\"No retention duty\"}");
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(201);

        // every service hears of it: reads answer the fact and time, nothing more
        String practitioner = TestIssuer.shared().practitioner();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Http.Response read : List.of(consent.withToken(practitioner).get("/api/clients/" + client),
                                              sessions.withToken(practitioner).get(sessionPath),
                                              referrals.withToken(practitioner).get(referralPath))) {
                assertThat(read.status()).as(read.raw().body()).isEqualTo(410);
                assertThat(read.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:client-erased");
                assertThat(read.body().get("erasedAt").asString()).isEqualTo(erased.body().get("erasedAt").asString());
            }
        });
        Http.Response session = sessions.withToken(practitioner).post("/api/clients/" + client + "/sessions", """
                {"clinicId":"harbour-street","startedAt":"%s","durationMinutes":30,"modalities":["CRANIOSACRAL_THERAPY"],
                 "notes":{"observations":"after erasure"}}""".formatted(Instant.now().minusSeconds(600)));
        assertThat(session.status()).as(session.raw().body()).isEqualTo(409);
        assertThat(session.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:client-erased");
        // the keyed requests again, as they were sent: the client's erasure answers, never what was kept of them
        List<String> replays = new ArrayList<>();
        for (Http.Response replay : List.of(
                sessions.withToken(practitioner).post(sessionPath + "/signature", "", "Idempotency-Key", SIGN_KEY),
                sessions.withToken(practitioner).post(sessionPath + "/amendments", amendBody, "Idempotency-Key", AMEND_KEY),
                referrals.withToken(practitioner).post(referralPath + "/status", statusBody, "Idempotency-Key",
                                                       STATUS_KEY))) {
            assertThat(replay.status()).as(replay.raw().body()).isIn(409, 410);
            assertThat(replay.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:client-erased");
            replays.add(replay.raw().body());
        }
        logs.addAll(replays);

        // every copy of the client's key is a tombstone, in every service's database, and in no instance's cache
        String reference = "client/" + client + "/1";
        try (MongoClient mongo = MongoClients.create(Backends.shared().mongoConnectionString())) {
            List<String> tombstones = new ArrayList<>();
            for (String name : mongo.listDatabaseNames()) {
                Document key = mongo.getDatabase(name).getCollection("client_keys")
                                    .find(new Document("_id", reference)).first();
                if (key != null) {
                    assertThat(key.containsKey("wrapped")).as(name + " still holds the key").isFalse();
                    tombstones.add(name);
                }
            }
            assertThat(tombstones).as("a tombstone in each service's store").hasSizeGreaterThanOrEqualTo(4);
        }
        List<ClientKeys> instances = new ArrayList<>(List.of(auditKeys));
        for (Class<?> service : List.of(ConsentServiceApplication.class, SessionServiceApplication.class,
                                        ReferralServiceApplication.class)) {
            instances.add(ServiceBeside.context(service).getBean(ClientKeys.class));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instances).allSatisfy(keys -> {
            assertThat(keys.cached(reference)).isFalse();
            assertThat(keys.existingKey(reference)).isEmpty();
        }));
        // the client's copy is gone with them: its sealed stretches removed, not only unreadable
        MongoTemplate consentStore = ServiceBeside.context(ConsentServiceApplication.class).getBean(MongoTemplate.class);
        Query ofClient = Query.query(Criteria.where("clientId").is(client));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                consentStore.count(ofClient, "copy_chunks") + consentStore.count(ofClient, "copy_files")).isZero());
        // and so no ciphertext of the client opens: the consent-service's cipher, which sealed the personal details
        FieldCipher consentCipher = ServiceBeside.context(ConsentServiceApplication.class).getBean(FieldCipher.class);
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.consent.v1")) {
            com.fasterxml.jackson.databind.JsonNode registered = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(await().atMost(Duration.ofSeconds(30)).until(() -> topic.keyed(client), r -> !r.isEmpty())
                                 .getFirst().value());
            org.stillpoint.contracts.Sealed details = new org.stillpoint.contracts.Sealed(
                    registered.path("personalDetails").path("key").asText(),
                    registered.path("personalDetails").path("ciphertext").asText());
            assertThat(consentCipher.of(client).open(details, org.stillpoint.contracts.SealedFields.PERSONAL_DETAILS)).isEmpty();
        }

        // the audit keeps every event, the erasure's own among them, without the personal data; the ledger holds
        Http audit = new Http(port).withToken(OFFICER);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                audit.get("/api/audit/clients/" + client + "/timeline").raw().body())
                .contains("erasure requested", "client erased", "session recorded", "referral issued"));
        assertThat(audit.get("/api/audit/ledger/verification").body().get("valid").asBoolean()).isTrue();
        List<String> exports = new ArrayList<>();
        for (String format : List.of("json", "csv", "fhir")) {
            Http.Response export = audit.get("/api/audit/clients/" + client + "/export?format=" + format);
            assertThat(export.status()).isEqualTo(200);
            exports.add(export.raw().body());
        }
        assertThat(exports.get(2)).contains("stillpoint.consent.client-erased.v1", "stillpoint.session.recorded.v1");

        assertNoCanaryInClear("canaries found in clear after the erasure", logs, exports);
    }

    /** Every record of every topic, every document of every database, every log line and every export, scanned. */
    private void assertNoCanaryInClear(String what, Collection<String> logs, List<String> exports) throws Exception {
        Map<String, List<String>> found = new LinkedHashMap<>();
        scanTopics(found);
        scanDatabases(found);
        scan(found, "the log", logs);
        scan(found, "an audit export", exports);
        assertThat(found).as(what).isEmpty();
    }

    /** Every record of every event topic, read with the SDK's own deserializer: every attribute there and typed. */
    private static void everyRecordReadsWithTheCloudEventsSdk(String client) {
        List<String> topics = List.of("stillpoint.consent.v1", "stillpoint.session.v1", "stillpoint.referral.v1",
                                      "stillpoint.access.v1");
        try (KafkaConsumer<String, io.cloudevents.CloudEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Backends.shared().kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, io.cloudevents.kafka.CloudEventDeserializer.class))) {
            Set<String> typesOfTheClient = new java.util.TreeSet<>();
            var asJson = io.cloudevents.jackson.PojoCloudEventDataMapper.from(
                    new com.fasterxml.jackson.databind.ObjectMapper(), com.fasterxml.jackson.databind.JsonNode.class);
            readAll(consumer, topics, record -> {
                if (record.headers().lastHeader("stillpoint-test-hand-made") != null) {
                    return;
                }
                io.cloudevents.CloudEvent event = record.value();
                assertThat(event.getSpecVersion()).isEqualTo(io.cloudevents.SpecVersion.V1);
                assertThat(event.getId()).isNotBlank();
                assertThat(event.getType()).startsWith("stillpoint.");
                assertThat(event.getSource().toString()).startsWith("/stillpoint/");
                assertThat(event.getTime()).isNotNull();
                assertThat(event.getSubject()).isEqualTo(record.key());
                assertThat(event.getDataContentType()).isEqualTo("application/json");
                assertThat(event.getExtensionNames()).contains("signature", "signatureproof")
                                                     .allMatch(name -> name.matches("[a-z0-9]+"));
                if (!record.topic().equals("stillpoint.access.v1")) {
                    assertThat(event.getExtension("aggregateid")).isNotNull();
                    assertThat(Long.parseLong(String.valueOf(event.getExtension("sequence")))).isNotNegative();
                }
                com.fasterxml.jackson.databind.JsonNode data = io.cloudevents.core.CloudEventUtils.mapData(event, asJson)
                                                                                 .getValue();
                if (client.equals(record.key())) {
                    assertThat(data.get("clientId").asText()).isEqualTo(client);
                    typesOfTheClient.add(event.getType());
                }
            });
            assertThat(typesOfTheClient).contains("stillpoint.consent.client-registered.v1",
                                                  "stillpoint.consent.granted.v1", "stillpoint.session.recorded.v1",
                                                  "stillpoint.session.note-amended.v1",
                                                  "stillpoint.referral.issued.v2",
                                                  "stillpoint.referral.status-changed.v1");
        }
    }

    private void scanTopics(Map<String, List<String>> found) throws Exception {
        String bootstrap = Backends.shared().kafkaBootstrapServers();
        Set<String> topics;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            topics = admin.listTopics().names().get();
        }
        assertThat(topics).contains("stillpoint.consent.v1", "stillpoint.session.v1", "stillpoint.referral.v1",
                                    "stillpoint.access.v1");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000))) {
            java.util.concurrent.atomic.AtomicInteger records = new java.util.concurrent.atomic.AtomicInteger();
            readAll(consumer, topics, record -> {
                records.incrementAndGet();
                List<String> texts = new ArrayList<>();
                texts.add(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8));
                texts.add(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
                for (Header header : record.headers()) {
                    texts.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
                }
                scan(found, record.topic() + "@" + record.offset(), texts);
            });
            assertThat(records.get()).as("records read").isPositive();
        }
    }

    /** Reads every partition of {@code topics} from its start to the end it had when asked, within a minute. */
    private static <K, V> void readAll(KafkaConsumer<K, V> consumer, Collection<String> topics,
                                       java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            assertThat(System.nanoTime()).as("every topic read within a minute").isLessThan(deadline);
            consumer.poll(Duration.ofMillis(500)).forEach(each);
        }
    }

    private void scanDatabases(Map<String, List<String>> found) throws java.io.IOException {
        String erasureList = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "ERASURE.md"));
        try (MongoClient mongo = MongoClients.create(Backends.shared().mongoConnectionString())) {
            int documents = 0;
            Set<String> unlisted = new java.util.TreeSet<>();
            for (String name : mongo.listDatabaseNames()) {
                for (String collection : mongo.getDatabase(name).listCollectionNames()) {
                    if (!collection.startsWith("system.") && !erasureList.contains("`" + collection + "`")) {
                        // docs/ERASURE.md says what erasure does to every store: a new one needs its entry
                        unlisted.add(name + "." + collection);
                    }
                    for (Document document : mongo.getDatabase(name).getCollection(collection).find()) {
                        documents++;
                        scan(found, name + "." + collection, List.of(document.toJson()));
                    }
                }
            }
            assertThat(documents).as("documents read").isPositive();
            assertThat(unlisted).as("collections docs/ERASURE.md does not list").isEmpty();
        }
    }

    private void scan(Map<String, List<String>> found, String where, Collection<String> texts) {
        for (String text : texts) {
            canaries.forEach((field, canary) -> {
                if (text.contains(canary)) {
                    found.computeIfAbsent(field, f -> new ArrayList<>()).add(where);
                }
            });
        }
    }

    /** Every log line of this JVM — the audit and the three services beside it — from now on. */
    private static Collection<String> captureLogs() {
        Collection<String> lines = new ConcurrentLinkedQueue<>();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                StringBuilder line = new StringBuilder(event.getFormattedMessage());
                event.getMDCPropertyMap().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
                if (event.getThrowableProxy() != null) {
                    line.append(' ').append(event.getThrowableProxy().getMessage());
                }
                lines.add(line.toString());
            }
        };
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return lines;
    }
}
