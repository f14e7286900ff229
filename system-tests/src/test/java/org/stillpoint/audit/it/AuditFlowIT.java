package org.stillpoint.audit.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stillpoint.audit.AuditServiceApplication;
import org.stillpoint.audit.FhirValidation;
import org.stillpoint.audit.ingest.AuditListener;
import org.stillpoint.audit.ledger.Checkpoint;
import org.stillpoint.audit.ledger.Checkpoints;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.referral.ReferralServiceApplication;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.HandMadeRecords;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.ServiceProcess;
import org.stillpoint.testsupport.StoredEvents;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TestJvm;
import org.stillpoint.testsupport.TopicReader;
import org.stillpoint.testsupport.UsesBackends;
import org.stillpoint.verifier.InvestigationVerifier;
import org.stillpoint.verifier.LedgerVerifier;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit built from the topics alone, with consent-, session- and referral-service running beside it: timeline,
 * disclosures, accesses, state as of a time, exports with ledger hashes, a rebuild from the first record that gives the
 * same documents, and a ledger whose verification catches an altered entry, a hole and a conflicting duplicate. Each
 * test stands alone, in any order: its client's history is in an organisation of its own, so its ledger, findings and
 * dead letters are its own.
 */
@UsesBackends
@SpringBootTest(classes = AuditServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditFlowIT {

    static {
        OwnConfiguration.of(AuditServiceApplication.class);
    }

    static final String DATABASE = "audit-it-" + UUID.randomUUID().toString().substring(0, 8);
    /** Where the checkpoints are handed to the witness. */
    private static final Path WITNESS = Path.of(System.getProperty("java.io.tmpdir"), "stillpoint-witness-" + DATABASE);

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry, DATABASE);
        TestIssuer.shared().register(registry);
        registry.add("stillpoint.audit.witness-dir", WITNESS::toString);
        registry.add("stillpoint.audit.referral-service",
                     () -> "http://127.0.0.1:" + ServiceBeside.of(ReferralServiceApplication.class).port());
    }

    @LocalServerPort
    int port;
    @Autowired
    MongoDatabase database;
    @Autowired
    AuditListener listener;
    @Autowired
    Ledger ledger;
    @Autowired
    KafkaEventPublisher publisher;
    @Autowired
    ProcessingProgress progress;

    /** The organisation of this test alone: its ledger, its findings and its dead letters are nobody else's. */
    private String organisation;
    private String practitioner;
    private String officer;
    private String operator;
    private String clientId;
    private String sessionId;
    private Instant beforeSession;

    /** A client's history — registration, consent, a signed and amended session, two referrals — in a new organisation. */
    @BeforeEach
    void aClientsHistory() throws Exception {
        organisation = "flow-" + UUID.randomUUID().toString().substring(0, 8);
        practitioner = TestIssuer.shared().token("pat-practitioner", organisation, List.of("harbour-street"),
                                                 List.of("PRACTITIONER"));
        officer = TestIssuer.shared().token("cole-compliance", organisation, List.of(), List.of("COMPLIANCE_OFFICER"));
        operator = TestIssuer.shared().token("ola-operator", organisation, List.of(), List.of("OPERATOR"));
        Http consent = ServiceBeside.of(ConsentServiceApplication.class).withToken(practitioner);
        Http sessions = ServiceBeside.of(SessionServiceApplication.class).withToken(practitioner);
        Http referrals = ServiceBeside.of(ReferralServiceApplication.class).withToken(practitioner);
        clientId = consent.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"Robin","familyName":"Ashdown","dateOfBirth":"1984-03-02"}
                """).body().get("clientId").asString();
        Http.Response granted = consent.post("/api/clients/" + clientId + "/consents", """
                {"scopes":["CRANIOSACRAL_THERAPY","INFORMATION_SHARING"],"method":"WRITTEN","grantedAt":"%s","lateEntryReason":"entered from the signed paper form",
                 "form":{"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}}
                """.formatted(Instant.now().minus(Duration.ofDays(3)), "ab".repeat(32)));
        String sequence = granted.body().get("sequence").asString();
        Thread.sleep(20);
        beforeSession = Instant.now();
        Http.Response session = sessions.post("/api/clients/" + clientId + "/sessions", """
                {"startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":50,"modalities":["CRANIOSACRAL_THERAPY"],
                 "notes":{"observations":"Restriction at the occiput"},"consentSequence":%s}
                """.formatted(Instant.now().minus(Duration.ofHours(2)), sequence));
        assertThat(session.status()).as(session.raw().body()).isEqualTo(201);
        sessionId = session.body().get("sessionId").asString();
        String path = "/api/clients/" + clientId + "/sessions/" + sessionId;
        assertThat(sessions.post(path + "/signature", "").status()).isEqualTo(201);
        assertThat(sessions.post(path + "/amendments",
                                 "{\"section\":\"observations\",\"text\":\"Also the sacrum\",\"reason\":\"Omitted\"}")
                           .status()).isEqualTo(201);
        for (int i = 0; i < 2; i++) {
            Http.Response referral = referrals.post("/api/clients/" + clientId + "/referrals", """
                    {"urgency":"ROUTINE","reason":"Medical review","sharedCategories":["DEMOGRAPHICS"],
                     "recipient":{"kind":"MEDICAL","name":"Dr. Amara Osei","organisation":"Harbour Medical Practice",
                                  "contact":{"email":"a.osei@example.org"}},"consentSequence":%s}
                    """.formatted(sequence));
            assertThat(referral.status()).as(referral.raw().body()).isEqualTo(201);
        }
        assertThat(consent.get("/api/clients/" + clientId).status()).isEqualTo(200);
        // the audit has it all: every service's events and both disclosures
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Http.Response timeline = audit().get("/api/audit/clients/" + clientId + "/timeline");
            assertThat(timeline.status()).as(timeline.raw().body()).isEqualTo(200);
            assertThat(timeline.body().get("entries").values()).extracting(e -> e.get("type").asString())
                    .contains("stillpoint.consent.client-registered.v1", "stillpoint.consent.granted.v1",
                              "stillpoint.session.recorded.v1", "stillpoint.session.note-signed.v1",
                              "stillpoint.session.note-amended.v1", "stillpoint.referral.issued.v2",
                              "stillpoint.access.client-accessed.v1");
            assertThat(audit().get("/api/audit/clients/" + clientId + "/disclosures").body().get("disclosures").size())
                    .isEqualTo(2);
        });
    }

    /** ledger-verifier as its own process, as the README runs it: what it printed, once it exited with {@code exit}. */
    private static String verifierCli(Path export, Path jwks, int exit) throws Exception {
        List<String> command = new ArrayList<>(TestJvm.command());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LedgerVerifier.class.getName(),
                               export.toString(), "--jwks", jwks.toString()));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).as(printed).isEqualTo(exit);
        return printed;
    }

    private Http audit() {
        return new Http(port).withToken(officer);
    }

    @Test
    void theTimelineHoldsEveryServicesEventsWithActorClinicAndConsent() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response timeline = audit().get("/api/audit/clients/" + clientId + "/timeline");
            assertThat(timeline.status()).as(timeline.raw().body()).isEqualTo(200);
            List<String> types = timeline.body().get("entries").values().stream().map(e -> e.get("type").asString()).toList();
            assertThat(types).contains("stillpoint.consent.client-registered.v1", "stillpoint.consent.granted.v1",
                                       "stillpoint.session.recorded.v1", "stillpoint.session.note-signed.v1",
                                       "stillpoint.session.note-amended.v1", "stillpoint.referral.issued.v2",
                                       "stillpoint.access.client-accessed.v1");
        });
        JsonNode recorded = entry("stillpoint.session.recorded.v1");
        assertThat(recorded.get("actor").asString()).isEqualTo("pat-practitioner");
        assertThat(recorded.get("clinicId").asString()).isEqualTo("harbour-street");
        assertThat(recorded.get("consents").get(0).asString()).contains("v1", "CRANIOSACRAL_THERAPY");
        assertThat(Instant.parse(recorded.get("occurredAt").asString()))
                .isBefore(Instant.parse(recorded.get("recordedAt").asString()));
        assertThat(recorded.get("ledgerHash").asString()).hasSize(64);
        assertThat(audit().get("/api/audit/clients/" + clientId + "/timeline").raw().body()).doesNotContain("occiput");
    }

    @Test
    void disclosuresAndAccessesAreAccountedFor() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode disclosures = audit().get("/api/audit/clients/" + clientId + "/disclosures").body();
            assertThat(disclosures.get("disclosures").size()).isEqualTo(2);
            JsonNode first = disclosures.get("disclosures").get(0);
            assertThat(first.get("recipient").get("name").asString()).isEqualTo("Dr. Amara Osei");
            assertThat(first.get("shared").values()).extracting(JsonNode::asString).containsExactly("DEMOGRAPHICS");
            assertThat(first.get("emergency").asBoolean()).isFalse();
            assertThat(disclosures.get("byRecipient").get(0).get("count").asInt()).isEqualTo(2);

            JsonNode accesses = audit().get("/api/audit/clients/" + clientId + "/accesses").body().get("accesses");
            assertThat(accesses.values()).anySatisfy(a -> {
                assertThat(a.get("actor").asString()).isEqualTo("pat-practitioner");
                assertThat(a.get("outcome").asString()).isEqualTo("ALLOWED");
                assertThat(a.get("summary").asString()).isEqualTo("looked at the client's details");
            });
            assertThat(accesses.values()).as("the audit's own reads are logged too").anySatisfy(a -> {
                assertThat(a.get("actor").asString()).isEqualTo("cole-compliance");
                assertThat(a.get("service").asString()).isEqualTo("audit-service");
            });
        });
    }

    /**
     * An emergency referral without consent waits on the organisation's review queue (API and console) with its due
     * time; the officer reads it (its justification, from referral-service with the officer's token) and records the
     * outcome from the console; the review is an event on the timeline, in the disclosures and in the FHIR export, and
     * the queue moves it to the reviewed.
     */
    @Test
    void anEmergencyReferralWithoutConsentIsReviewedFromTheQueue() throws Exception {
        Http consent = ServiceBeside.of(ConsentServiceApplication.class).withToken(practitioner);
        JsonNode registered = consent.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"Sam","familyName":"Quill","dateOfBirth":"1990-01-01"}
                """).body();
        String unconsented = registered.get("clientId").asString();
        Http.Response issued = ServiceBeside.of(ReferralServiceApplication.class).withToken(practitioner)
                .post("/api/clients/" + unconsented + "/referrals", """
                        {"urgency":"EMERGENCY","reason":"Chest pain during session","sharedCategories":["DEMOGRAPHICS"],
                         "emergencyJustification":"Client collapsed; paramedics needed the history now",
                         "recipient":{"kind":"MEDICAL","name":"Harbour A&E","contact":{"phone":"+44 20 7946 0000"}},
                         "consentSequence":%s}
                        """.formatted(registered.get("sequence").asString()));
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        assertThat(issued.body().get("reviewRequired").asBoolean()).isTrue();
        String referralId = issued.body().get("referralId").asString();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode queue = audit().get("/api/audit/reviews").body();
            assertThat(queue.get("awaiting").values()).anySatisfy(r -> {
                assertThat(r.get("referralId").asString()).isEqualTo(referralId);
                assertThat(r.get("clientId").asString()).isEqualTo(unconsented);
                assertThat(r.get("recipient").asString()).isEqualTo("Harbour A&E");
                assertThat(r.get("overdue").asBoolean()).isFalse();
                assertThat(Instant.parse(r.get("dueBy").asString()))
                        .isEqualTo(Instant.parse(r.get("issuedAt").asString()).plus(Duration.ofHours(72)));
            });
        });
        assertThat(new Http(port).withToken(practitioner).get("/api/audit/reviews").status()).isEqualTo(403);
        Http asOfficer = new Http(port).withToken(officer);
        assertThat(asOfficer.get("/console/reviews").raw().body()).contains(referralId, "id=\"awaiting-count\">1<", "3 days");
        assertThat(asOfficer.get("/console/ledger").raw().body()).containsPattern("id=\"overdue-reviews\"[^>]*>0<");
        String page = asOfficer.get("/console/reviews/" + referralId).raw().body();
        assertThat(page).contains("Client collapsed; paramedics needed the history now", "Chest pain during session",
                                  "demographics", "Record the review");

        // a review without an outcome is refused; a second review is referral-service's refusal, answered as the console's
        assertThat(asOfficer.send("POST", "/console/reviews/" + referralId, "application/x-www-form-urlencoded",
                                  "notes=x".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        Http.Response recorded = asOfficer.send("POST", "/console/reviews/" + referralId,
                                                "application/x-www-form-urlencoded",
                                                "outcome=APPROPRIATE&notes=Paramedics+on+scene%3B+no+time+to+ask"
                                                        .getBytes(StandardCharsets.UTF_8));
        assertThat(recorded.status()).as(recorded.raw().body()).isEqualTo(302);
        assertThat(recorded.header("Location")).endsWith("/console/reviews?reviewed=" + referralId);
        Http.Response again = asOfficer.send("POST", "/console/reviews/" + referralId, "application/x-www-form-urlencoded",
                                             "outcome=NOT_APPROPRIATE".getBytes(StandardCharsets.UTF_8));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:already-reviewed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode queue = audit().get("/api/audit/reviews").body();
            assertThat(queue.get("awaiting").values()).noneSatisfy(
                    r -> assertThat(r.get("referralId").asString()).isEqualTo(referralId));
            assertThat(queue.get("reviewed").values()).anySatisfy(r -> {
                assertThat(r.get("referralId").asString()).isEqualTo(referralId);
                assertThat(r.get("outcome").asString()).isEqualTo("APPROPRIATE");
                assertThat(r.get("reviewedBy").asString()).isEqualTo("cole-compliance");
            });
        });
        JsonNode disclosure = audit().get("/api/audit/clients/" + unconsented + "/disclosures").body()
                                     .get("disclosures").get(0);
        assertThat(disclosure.get("reviewRequired").asBoolean()).isTrue();
        assertThat(disclosure.get("review").get("outcome").asString()).isEqualTo("APPROPRIATE");
        assertThat(asOfficer.get("/console/clients/" + unconsented + "/disclosures").raw().body())
                .contains("emergency without consent", "reviewed: appropriate");
        String timeline = audit().get("/api/audit/clients/" + unconsented + "/timeline").raw().body();
        assertThat(timeline).contains("stillpoint.referral.reviewed.v1", "reviewed by a compliance officer: appropriate")
                            .doesNotContain("Paramedics on scene");
        String fhir = audit().get("/api/audit/clients/" + unconsented + "/export?format=fhir").raw().body();
        assertThat(FhirValidation.errors(fhir)).isEmpty();
        assertThat(fhir).contains("reviewed by a compliance officer: appropriate");
    }

    /**
     * A late entry recorded after a withdrawal, about a time before it: in force at its moment, not when recorded — on
     * the organisation's review list, beside the consent version it relied on; the state on both axes shows the consent
     * as it stood then, as recorded now.
     */
    @Test
    void aLateEntryAfterAWithdrawalIsOnTheConsentReviewList() throws Exception {
        Http consent = ServiceBeside.of(ConsentServiceApplication.class).withToken(practitioner);
        Http sessions = ServiceBeside.of(SessionServiceApplication.class).withToken(practitioner);
        JsonNode consents = consent.get("/api/clients/" + clientId + "/consents").body().get("consents");
        String consentId = consents.get(0).get("consentId").asString();
        Instant beforeWithdrawal = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
        Http.Response withdrawn = consent.post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals",
                                               "{\"reason\":\"Moving away\"}");
        assertThat(withdrawn.status()).as(withdrawn.raw().body()).isIn(200, 201);
        String sequence = withdrawn.body().get("sequence").asString();
        Http.Response late = sessions.post("/api/clients/" + clientId + "/sessions", """
                {"startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":40,
                 "modalities":["CRANIOSACRAL_THERAPY"],"consentSequence":%s}
                """.formatted(beforeWithdrawal, sequence));
        assertThat(late.status()).as(late.raw().body()).isEqualTo(201);
        String lateSession = late.body().get("sessionId").asString();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response list = audit().get("/api/audit/consent-reviews");
            assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
            assertThat(list.body().get("acts").values()).singleElement().satisfies(act -> {
                assertThat(act.get("subject").asString()).isEqualTo(lateSession);
                assertThat(act.get("inForceAtTheAct").asBoolean()).isTrue();
                assertThat(act.get("inForceWhenRecorded").asBoolean()).isFalse();
                assertThat(act.get("lateEntry").asBoolean()).isTrue();
            });
        });
        JsonNode acts = audit().get("/api/audit/clients/" + clientId + "/consent-at-acts").body().get("acts");
        JsonNode act = acts.values().stream().filter(a -> a.get("subject").asString().equals(lateSession)).findFirst()
                           .orElseThrow();
        assertThat(act.get("consents").get(0).get("consentId").asString()).isEqualTo(consentId);
        assertThat(act.get("consents").get(0).get("formId").asString()).isEqualTo("cst-ser-intake");
        assertThat(act.get("consents").get(0).get("versionAtTheAct").asInt()).isEqualTo(1);
        // the consent, about the session's moment as recorded now: active; as recorded before the withdrawal, the same
        JsonNode then = audit().get("/api/audit/clients/" + clientId + "/timeline?asOf=" + Instant.now() + "&about="
                                            + beforeWithdrawal).body();
        assertThat(then.get("about").asString()).isEqualTo(beforeWithdrawal.toString());
        assertThat(then.get("consents").get(0).get("status").asString()).isEqualTo("ACTIVE");
        JsonNode now = audit().get("/api/audit/clients/" + clientId + "/timeline?asOf=" + Instant.now()).body();
        assertThat(now.get("consents").get(0).get("status").asString()).isEqualTo("WITHDRAWN");
        // the refusals: about without asOf; the list for a practitioner
        Http.Response noAsOf = audit().get("/api/audit/clients/" + clientId + "/timeline?about=" + beforeWithdrawal);
        assertThat(noAsOf.status()).isEqualTo(400);
        assertThat(noAsOf.body().get("field").asString()).isEqualTo("asOf");
        assertThat(new Http(port).withToken(practitioner).get("/api/audit/consent-reviews").status()).isEqualTo(403);
        // the FHIR export ties the session to the consent version it relied on, and stays valid
        String fhir = audit().get("/api/audit/clients/" + clientId + "/export?format=fhir").raw().body();
        assertThat(FhirValidation.errors(fhir)).isEmpty();
        assertThat(fhir).contains("\"resourceType\":\"Provenance\"");
    }

    /** An investigation of the practitioner: the client they read, in care, with clear text served; and its refusals. */
    @Test
    void anInvestigationStartsFromThePerson() throws Exception {
        String window = "&from=" + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now().plusSeconds(60);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response report = audit().get("/api/audit/investigations?actor=pat-practitioner" + window);
            assertThat(report.status()).as(report.raw().body()).isEqualTo(200);
            assertThat(report.body().get("clients").values()).anySatisfy(c -> {
                assertThat(c.get("clientId").asString()).isEqualTo(clientId);
                assertThat(c.get("careRelationship").asBoolean()).isTrue();
                assertThat(c.get("clearTextServed").asBoolean()).isTrue();
            });
            assertThat(report.body().get("outsideCaseload").values()).extracting(JsonNode::asString)
                                                                      .doesNotContain(clientId);
        });
        // its export, checked offline by ledger-verifier's CLI as the README runs it: the stretch of the chain holds every
        // access of the window and the report is its recount; a report edited and left as signed is refused
        Http.Response exported = audit().get("/api/audit/investigations/export?actor=pat-practitioner" + window);
        assertThat(exported.status()).as(exported.raw().body()).isEqualTo(200);
        assertThat(exported.body().get("format").asString()).isEqualTo(InvestigationVerifier.FORMAT);
        Path file = Files.createTempFile("stillpoint-investigation", ".json");
        Path jwks = Files.createTempFile("stillpoint-jwks", ".json");
        Files.writeString(file, exported.raw().body());
        Files.writeString(jwks, new Http(port).get("/.well-known/jwks.json").raw().body());
        assertThat(verifierCli(file, jwks, 0)).startsWith("VERIFIED").contains("of the actor in the window");
        Files.writeString(file, exported.raw().body().replaceFirst("\"clientsAffected\":(\\d+)", "\"clientsAffected\":0"));
        assertThat(verifierCli(file, jwks, 1)).contains("BROKEN", "changed after it was signed");

        Http.Response noActor = audit().get("/api/audit/investigations?" + window.substring(1));
        assertThat(noActor.status()).isEqualTo(400);
        assertThat(noActor.body().get("field").asString()).isEqualTo("actor");
        assertThat(new Http(port).withToken(practitioner).get("/api/audit/investigations?actor=x" + window).status())
                .isEqualTo(403);
    }

    @Test
    void theStateAsOfATimeShowsWhatWasRecordedThen() {
        JsonNode before = audit().get("/api/audit/clients/" + clientId + "/timeline?asOf=" + beforeSession).body();
        assertThat(before.get("consents").get(0).get("status").asString()).isEqualTo("ACTIVE");
        assertThat(before.get("sessions").size()).isZero();
        assertThat(before.get("referrals").size()).isZero();

        JsonNode now = audit().get("/api/audit/clients/" + clientId + "/timeline?asOf=" + Instant.now()).body();
        JsonNode session = now.get("sessions").get(0);
        assertThat(session.get("sessionId").asString()).isEqualTo(sessionId);
        assertThat(session.get("status").asString()).isEqualTo("SIGNED");
        assertThat(session.get("noteVersions").values()).extracting(v -> v.get("kind").asString())
                                                        .containsExactly("recorded", "amendment 1 (observations)");
        // the note was recorded two hours after the session started: its version says when it was recorded
        Instant recorded = Instant.parse(session.get("noteVersions").get(0).get("at").asString());
        assertThat(recorded).isAfter(Instant.parse(session.get("startedAt").asString()).plusSeconds(3_600));
        assertThat(session.get("lateEntry").asBoolean()).as("within the late-entry window").isFalse();
        assertThat(now.get("referrals").size()).isEqualTo(2);
    }

    @Test
    void exportsCarryTheLedgerHashes() throws Exception {
        // reads are reads: an export signs no checkpoint; the officer signs one, an audited act, then exports
        long checkpointsBefore = database.getCollection("ledger_checkpoints").countDocuments();
        audit().get("/api/audit/clients/" + clientId + "/export?format=json");
        assertThat(database.getCollection("ledger_checkpoints").countDocuments()).isEqualTo(checkpointsBefore);
        Http.Response checkpoint = audit().post("/api/audit/ledger/checkpoints", "");
        assertThat(checkpoint.status()).as(checkpoint.raw().body()).isEqualTo(201);
        assertThat(checkpoint.body().get("signedBy").asString()).isEqualTo("cole-compliance");
        assertThat(checkpoint.body().get("treeHead").asString()).hasSize(64);

        Http.Response exported = audit().get("/api/audit/clients/" + clientId + "/export?format=json");
        JsonNode json = exported.body();
        assertThat(json.get("format").asString()).isEqualTo(LedgerVerifier.FORMAT);
        assertThat(json.get("timeline").values()).allSatisfy(e -> assertThat(e.get("ledgerHash").asString()).hasSize(64));
        assertThat(json.get("disclosures").size()).isEqualTo(2);
        // the export checks offline, with nothing but itself and the keys the audit-service publishes
        JWKSet keys = JWKSet.parse(new Http(port).get("/.well-known/jwks.json").raw().body());
        LedgerVerifier.Result verified = LedgerVerifier.verify(exported.raw().body(), keys);
        assertThat(verified.verified()).as(verified.toString()).isTrue();
        // the client's links only, each with its bytes and an inclusion path: not the organisation's chain
        assertThat(json.at("/ledger/links").values()).hasSizeGreaterThan(5)
                .allSatisfy(l -> assertThat(l.get("headers").get("ce_subject").asString()).isEqualTo(clientId))
                .allSatisfy(l -> assertThat(l.has("value") && l.has("path")).isTrue());
        assertThat(verified.links()).isEqualTo(json.at("/ledger/links").size());
        // one byte of one of the client's exported events changed: the export is no longer the one that was made
        JsonNode changedLink = json.at("/ledger/links").values().stream().toList().get(2);
        String original = changedLink.get("value").asString();
        String tampered = exported.raw().body().replace(
                tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(original),
                tools.jackson.databind.json.JsonMapper.builder().build()
                        .writeValueAsString(original.replaceFirst("\\{", "[")));
        assertThat(tampered).isNotEqualTo(exported.raw().body());
        LedgerVerifier.Result broken = LedgerVerifier.verify(tampered, keys);
        assertThat(broken.verified()).isFalse();
        assertThat(broken.reason()).contains("changed after it was signed");
        // and the CLI, as the README runs it, on the export and the published keys
        Path file = Files.createTempFile("stillpoint-export", ".json");
        Path jwks = Files.createTempFile("stillpoint-jwks", ".json");
        Files.writeString(file, exported.raw().body());
        Files.writeString(jwks, keys.toString());
        String printed = verifierCli(file, jwks, 0);
        assertThat(printed).startsWith("VERIFIED");
        Files.writeString(file, tampered);
        String named = verifierCli(file, jwks, 1);
        assertThat(named).contains("BROKEN", "changed after it was signed");

        Http.Response csv = audit().get("/api/audit/clients/" + clientId + "/export?format=csv");
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> lines = csv.raw().body().lines().toList();
        assertThat(lines.getFirst()).startsWith("section,eventId,type");
        assertThat(lines).anyMatch(l -> l.startsWith("\"disclosure\"")).anyMatch(l -> l.startsWith("\"access\""));
        assertThat(lines.getLast()).startsWith("\"verification\"").contains("format=json", "ledger-verifier");

        Http.Response fhir = audit().get("/api/audit/clients/" + clientId + "/export?format=fhir");
        assertThat(fhir.header("Content-Type")).startsWith("application/fhir+json");
        // valid for FHIR's own validator: the client as a Patient, an AuditEvent per entry, the consents
        assertThat(FhirValidation.errors(fhir.raw().body())).isEmpty();
        JsonNode bundle = tools.jackson.databind.json.JsonMapper.builder().build().readTree(fhir.raw().body());
        assertThat(bundle.get("resourceType").asString()).isEqualTo("Bundle");
        assertThat(bundle.has("total")).isFalse();
        assertThat(bundle.get("entry").values()).extracting(e -> e.at("/resource/resourceType").asString())
                                               .contains("Patient", "AuditEvent", "Consent");
        assertThat(bundle.get("entry").values()).extracting(e -> e.at("/resource/type/code").asString())
                                               .contains("110110", "110106", "rest");
        assertThat(audit().get("/api/audit/clients/" + clientId + "/export?format=pdf").status()).isEqualTo(400);
    }

    @Test
    void replayingEveryTopicFromTheStartRebuildsTheSameDocument() throws Exception {
        Document settled = settled();
        listener.rebuild();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
               .untilAsserted(() -> assertThat(auditDocument()).isEqualTo(settled));
    }

    @Test
    void verificationIsCleanAndCatchesAnAlteredEntry() {
        JsonNode clean = audit().get("/api/audit/ledger/verification").body();
        assertThat(clean.get("valid").asBoolean()).as(clean.toString()).isTrue();
        assertThat(clean.get("entries").asLong()).as("the history's seven events and the reads of it").isGreaterThan(7);

        Document third = database.getCollection("ledger").find(Filters.eq("_id", organisation + "/3")).first();
        String original = third.getString("value");
        database.getCollection("ledger").updateOne(Filters.eq("_id", organisation + "/3"),
                                                   Updates.set("value", original.replace("harbour-street", "mill-lane")
                                                                                .replace("\"2026", "\"2025")));
        try {
            JsonNode broken = audit().get("/api/audit/ledger/verification").body();
            assertThat(broken.get("valid").asBoolean()).isFalse();
            assertThat(broken.get("firstBrokenLink").get("index").asLong()).isEqualTo(3);
        } finally {
            database.getCollection("ledger").updateOne(Filters.eq("_id", organisation + "/3"), Updates.set("value", original));
        }
        assertThat(audit().get("/api/audit/ledger/verification").body().get("valid").asBoolean()).isTrue();
    }

    @Test
    void theConsolesLedgerViewRecomputesOnlyWhatIsNewAndEveryLinkOnRequest() {
        Http asOfficer = new Http(port).withToken(officer);
        // the API's verification walked the whole chain and kept its head: the view recomputes from the link after it
        assertThat(audit().get("/api/audit/ledger/verification").body().get("valid").asBoolean()).isTrue();
        String view = asOfficer.get("/console/ledger").raw().body();
        assertThat(view).containsPattern("id=\"walked\">(links [1-9][0-9]* to [1-9][0-9]*, the ones added since the last "
                                                 + "check|none: no link was added since the last check)");
        assertThat(asOfficer.get("/console/ledger?full=true").raw().body())
                .contains("id=\"walked\">every link, from the first");

        // a link taken away below the kept head: the view does not extend it, it walks from the first and finds it
        Document second = database.getCollection("ledger").find(Filters.eq("_id", organisation + "/2")).first();
        database.getCollection("ledger").deleteOne(Filters.eq("_id", organisation + "/2"));
        try {
            String broken = asOfficer.get("/console/ledger").raw().body();
            assertThat(broken).contains("id=\"walked\">every link, from the first", "NOT verified")
                              .containsPattern("id=\"broken\">2 ");
        } finally {
            database.getCollection("ledger").insertOne(second);
        }
        assertThat(asOfficer.get("/console/ledger").raw().body()).contains("id=\"walked\">every link, from the first")
                                                               .doesNotContain("NOT verified");
    }

    @Test
    void aSignedCheckpointAnchorsTheChainAndACutOffTailContradictsIt() throws Exception {
        assertThat(new Http(port).withToken(practitioner).post("/api/audit/ledger/checkpoints", "")
                                 .status()).isEqualTo(403);
        assertThat(new Http(port).withToken(TestIssuer.shared().token("rita", "riverside", List.of("harbour-street"),
                                                                      List.of("COMPLIANCE_OFFICER")))
                                 .post("/api/audit/ledger/checkpoints", "").status())
                .as("another organisation's chain is empty: nothing to sign").isEqualTo(409);

        // the console's form: officers only
        assertThat(new Http(port).withToken(TestIssuer.shared().token("cam", organisation,
                                                                      List.of("harbour-street"), List.of("CLINIC_ADMIN")))
                                 .post("/console/ledger/checkpoints", "").status()).isEqualTo(403);

        Http.Response signed = audit().post("/api/audit/ledger/checkpoints", "");
        assertThat(signed.status()).as(signed.raw().body()).isEqualTo(201);
        Checkpoint checkpoint = new ObjectMapper().registerModule(new JavaTimeModule())
                                                  .readValue(signed.raw().body(), Checkpoint.class);
        assertThat(checkpoint.organisationId()).isEqualTo(organisation);
        // the signature verifies with the keys the audit-service publishes, and with no other key
        JWKSet published = JWKSet.parse(new Http(port).get("/.well-known/jwks.json").raw().body());
        assertThat(Checkpoints.contradiction(checkpoint, published)).isNull();
        assertThat(Checkpoints.contradiction(checkpoint, new JWKSet(new ECKeyGenerator(Curve.P_256)
                .keyID(published.getKeys().getFirst().getKeyID()).generate().toPublicJWK()))).isNotNull();
        // handed to the witness: a file outside the database
        assertThat(Files.readString(WITNESS.resolve(organisation + "-" + checkpoint.index()
                                                    + ".checkpoint.json"))).contains(checkpoint.jws());
        JsonNode report = audit().get("/api/audit/ledger/verification").body();
        assertThat(report.get("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.at("/checkpoint/index").asLong()).isEqualTo(checkpoint.index());

        // links cut off the end: what remains recomputes, but no longer holds the signed head
        String signedLink = organisation + "/" + checkpoint.index();
        Document last = database.getCollection("ledger").find(Filters.eq("_id", signedLink)).first();
        database.getCollection("ledger").deleteOne(Filters.eq("_id", signedLink));
        try {
            JsonNode cut = audit().get("/api/audit/ledger/verification").body();
            assertThat(cut.get("valid").asBoolean()).isFalse();
            assertThat(cut.get("verdict").asString()).isEqualTo("BROKEN");
            assertThat(cut.at("/firstBrokenLink/index").asLong()).isEqualTo(checkpoint.index());
            assertThat(cut.at("/firstBrokenLink/reason").asString()).contains("no longer holds");
        } finally {
            database.getCollection("ledger").insertOne(last);
        }
        assertThat(audit().get("/api/audit/ledger/verification").body().get("valid").asBoolean()).isTrue();
    }

    @Test
    void aBadRecordOnAnyTopicHoldsOnlyItsClientAndTheLedgerSaysItIsIncomplete() {
        Http asOperator = new Http(port).withToken(operator);
        Http consent = ServiceBeside.of(ConsentServiceApplication.class).withToken(practitioner);
        String held = consent.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"Sam","familyName":"Marsh","dateOfBirth":"1990-01-01"}
                """).body().get("clientId").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> audit().get("/api/audit/clients/" + held + "/timeline").status() == 200);
        // one unreadable record on every topic the audit reads, the first of them about a client that goes on
        Map<String, String> poisoned = new LinkedHashMap<>();
        poisoned.put("stillpoint.session.v1", held);
        poisoned.put("stillpoint.consent.v1", UUID.randomUUID().toString());
        poisoned.put("stillpoint.referral.v1", UUID.randomUUID().toString());
        poisoned.put("stillpoint.access.v1", UUID.randomUUID().toString());
        Map<String, String> types = Map.of("stillpoint.session.v1", "stillpoint.session.recorded.v1",
                                           "stillpoint.consent.v1", "stillpoint.consent.granted.v1",
                                           "stillpoint.referral.v1", "stillpoint.referral.issued.v1",
                                           "stillpoint.access.v1", "stillpoint.access.client-accessed.v1");
        poisoned.forEach((topic, key) -> HandMadeRecords.send(topic, key, HandMadeRecords.headers(
                types.get(topic), "/stillpoint/" + topic.split("\\.")[1].replace("access", "consent") + "-service", key,
                UUID.randomUUID().toString(), 0), "{not json"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode report = audit().get("/api/audit/ledger/verification").body();
            assertThat(report.get("verdict").asString()).isEqualTo("INCOMPLETE");
            assertThat(report.get("valid").asBoolean()).isTrue();
            // the held client's record is stillwater's; the three of made-up clients are no organisation's
            assertThat(report.get("ingest").get("deadLetters").asLong()).isEqualTo(1);
            assertThat(report.get("ingest").get("unattributed").asLong()).isGreaterThanOrEqualTo(3);
        });
        // the console's ledger view says so too, never "verified"
        Http.Response page = new Http(port).withToken(officer).get("/console/ledger");
        assertThat(page.raw().body()).contains("Incomplete: the entries received verify").doesNotContain("Verified:");
        assertThat(page.raw().body()).containsPattern("id=\"dead-letters\">[1-9]");
        // the console refuses what it cannot show, naming the parameter
        Http asOfficer = new Http(port).withToken(officer);
        for (String[] refused : new String[][]{{"/console/clients/" + clientId + "?page=-1", "page"},
                {"/console/clients/" + clientId + "/accesses?outcome=MAYBE", "outcome"},
                {"/console/clients/" + clientId + "/export?format=xml", "format"},
                {"/console/clients/" + clientId + "?from=yesterday", "from"},
                {"/console/clients/" + clientId + "?to=%2B999999999-12-31", "to"},
                {"/console/clients/" + clientId + "?from=-999999999-01-01", "from"},
                {"/console?to=%2B999999999-12-31", "to"},
                {"/console/clients/" + clientId + "/state?at=%2B999999999-12-31T23:59:59", "at"}}) {
            Http.Response answer = asOfficer.get(refused[0]);
            assertThat(answer.status()).as(refused[0]).isEqualTo(400);
            assertThat(answer.body().get("field").asString()).isEqualTo(refused[1]);
        }
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "frame-ancestors 'none'");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        Http.Response health = new Http(port).withToken(operator).get("/actuator/health");
        assertThat(health.body().get("components").get("consumers").get("status").asString()).isEqualTo("DEGRADED");

        // the held client's next record queues; every other client's flow
        int accessesBefore = audit().get("/api/audit/clients/" + clientId + "/accesses").body().get("accesses").size();
        assertThat(consent.get("/api/clients/" + held).status()).isEqualTo(200);
        assertThat(consent.get("/api/clients/" + clientId).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> audit().get("/api/audit/clients/" + clientId + "/accesses").body().get("accesses").size() > accessesBefore);
        await().atMost(Duration.ofSeconds(30)).until(() -> asOperator.get("/api/operations/dead-letters").body().values()
                .stream().anyMatch(l -> l.get("clientId").asString().equals(held) && l.get("status").asString().equals("QUEUED")));
        assertThat(audit().get("/api/audit/clients/" + held + "/accesses").body().get("accesses").values())
                .noneMatch(a -> a.get("summary").asString().equals("looked at the client's details"));

        for (JsonNode letter : asOperator.get("/api/operations/dead-letters").body().values()) {
            if (letter.get("status").asString().equals("PARKED")) {
                assertThat(letter.get("reason").asString()).isEqualTo("unreadable");
                Http.Response dropped = asOperator.post("/api/operations/dead-letters/" + letter.get("id").asString() + "/drop",
                                                      "{\"reason\":\"unreadable\"}");
                assertThat(dropped.status()).as(dropped.raw().body()).isEqualTo(200);
            }
        }
        // the queued read is applied in order once the record ahead of it is dropped; the drop itself is audited
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode timeline = audit().get("/api/audit/clients/" + held + "/timeline").body().get("entries");
            assertThat(timeline.values()).anyMatch(e -> e.get("summary").asString().equals("looked at the client's details"));
            assertThat(timeline.values()).anyMatch(e -> e.get("type").asString().equals("stillpoint.access.dead-letter-handled.v1")
                    && e.get("actor").asString().equals("ola-operator"));
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode report = audit().get("/api/audit/ledger/verification").body();
            assertThat(report.get("verdict").asString()).isEqualTo("VERIFIED");
            assertThat(report.get("ingest").get("lag").has("stillpoint.consent.v1")).as("lag measured for the ingest's "
                                                                                      + "own group").isTrue();
        });
    }

    @Test
    void aHoleOrAConflictingDuplicateIsAnIntegrityFinding() throws Exception {
        String aggregate = UUID.randomUUID().toString();
        // of a client the audit has placed in its organisation: the findings are that organisation's
        String subject = clientId;
        String eventId = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Backends.shared().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(record(subject, eventId, aggregate, 0, signed(subject, aggregate, "2026-11-24T10:00:00Z"))).get();
            producer.send(record(subject, UUID.randomUUID().toString(), aggregate, 2,
                                 signed(subject, aggregate, "2026-11-24T11:00:00Z"))).get();
            producer.send(record(subject, eventId, aggregate, 0, signed(subject, aggregate, "2026-11-24T12:00:00Z"))).get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode report = audit().get("/api/audit/ledger/verification").body();
            assertThat(report.get("valid").asBoolean()).isFalse();
            assertThat(report.get("findings").values()).extracting(f -> f.get("kind").asString() + ":" + f.get("aggregateId").asString())
                    .contains("sequence-gap:" + aggregate);
            assertThat(report.get("findings").values()).extracting(f -> f.get("kind").asString() + ":" + f.get("eventId").asString())
                    .contains("duplicate-id:" + eventId);
        });
    }

    private static String signed(String subject, String session, String at) {
        return "{\"clientId\":\"" + subject + "\",\"sessionId\":\"" + session + "\",\"signedAt\":\"" + at
                + "\",\"signedBy\":{\"subject\":\"pat\"}}";
    }

    @Test
    void aCrashBetweenTheLedgerAndTheTimelineAndDeliveriesTwiceLeaveOneEntryAndNoFinding() {
        String client = clientId;
        String session = UUID.randomUUID().toString();
        Map<String, String> first = HandMadeRecords.headers("stillpoint.session.note-signed.v1", "/stillpoint/session-service",
                                                            client, session, 0);
        String value = signed(client, session, "2026-11-30T10:00:00Z");
        // the audit appended the event to the ledger and died before its timeline and sequence were written
        assertThat(ledger.append(first.get("ce_id"), organisation, client, "stillpoint.session.v1", 0, 0, first, value))
                .isEqualTo(Ledger.Outcome.APPENDED);
        // after the restart the broker delivers it again, twice (a publisher's retry), then the aggregate's next event
        HandMadeRecords.send("stillpoint.session.v1", client, first, value);
        HandMadeRecords.send("stillpoint.session.v1", client, first, value);
        Map<String, String> second = HandMadeRecords.headers("stillpoint.session.note-amended.v1",
                                                             "/stillpoint/session-service", client, session, 1);
        HandMadeRecords.send("stillpoint.session.v1", client, second, "{\"clientId\":\"" + client + "\",\"sessionId\":\""
                + session + "\",\"number\":1,\"section\":\"observations\",\"amendedAt\":\"2026-11-30T11:00:00Z\","
                + "\"amendedBy\":{\"subject\":\"pat\"}}");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(entryIds(client)).filteredOn(id -> id.equals(first.get("ce_id"))
                                                                           || id.equals(second.get("ce_id")))
                                                                   .containsExactly(first.get("ce_id"), second.get("ce_id"));
        });
        assertThat(database.getCollection("ledger").countDocuments(Filters.eq("eventId", first.get("ce_id")))).isEqualTo(1);
        JsonNode report = audit().get("/api/audit/ledger/verification").body();
        assertThat(report.get("firstBrokenLink").isNull()).as(report.toString()).isTrue();
        assertThat(report.get("findings").values()).noneMatch(f -> session.equals(f.get("aggregateId").asString()));
    }

    @Test
    void theAuditsOwnAccessEventsArriveOnceEachAcrossABrokerOutage() {
        long failedBefore = publisher.failedBatches();
        Document last = database.getCollection("events").find().sort(new Document("_id", -1)).limit(1).first();
        long storedBefore = last == null ? -1 : ((Number) last.get("_id")).longValue();
        Backends.shared().stopKafka();
        try {
            // the audit answers from its own store while the broker is away; each read is stored as an access event
            for (int i = 0; i < 3; i++) {
                assertThat(audit().get("/api/audit/clients/" + clientId + "/accesses").status()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> publisher.failedBatches() > failedBefore);
        } finally {
            Backends.shared().startKafka();
        }
        List<String> stored = database.getCollection("events").find(Filters.gt("_id", storedBefore)).into(new ArrayList<>())
                                      .stream().flatMap(d -> d.getList("events", Document.class).stream())
                                      .map(e -> e.getString("eventId")).toList();
        assertThat(stored).hasSizeGreaterThanOrEqualTo(3);
        try (TopicReader access = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.access.v1")) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                    access.keyed(clientId).stream().map(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID))
                          .filter(stored::contains).toList()).containsExactlyInAnyOrderElementsOf(stored));
            // everything stored is sent on and acknowledged: a duplicate would be on the topic now
            long lastStored = StoredEvents.lastPositionOf(database, clientId);
            await().atMost(Duration.ofSeconds(120))
                   .until(() -> progress.hasHandled(KafkaEventPublisher.PROCESSING_GROUP, lastStored, clientId));
            access.readToEnd();
            assertThat(access.keyed(clientId).stream().map(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID))
                             .filter(stored::contains).toList()).as("none twice").hasSameSizeAs(stored);
        }
    }

    @Test
    void aServiceKilledUnderLoadLosesNoAnsweredWriteAndTheAuditFindsNothingFalse() throws Exception {
        try (ServiceProcess consent = new ServiceProcess(ConsentServiceApplication.class,
                                                         "killed-" + UUID.randomUUID().toString().substring(0, 8))) {
            consent.start();
            Http http = consent.http().withToken(practitioner);
            List<String> answered = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService callers = Executors.newFixedThreadPool(3);
            for (int c = 0; c < 3; c++) {
                callers.submit(() -> {
                    while (!stop.get()) {
                        try {
                            Http.Response response = http.post("/api/clients", """
                                    {"clinicId":"harbour-street","givenName":"Kai","familyName":"Roe","dateOfBirth":"1979-09-09"}
                                    """);
                            if (response.status() == 201) {
                                answered.add(response.body().get("clientId").asString());
                            }
                        } catch (RuntimeException e) {
                            // the process is gone: no answer, no claim
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> answered.size() >= 10);
            consent.kill();
            int beforeRestart = answered.size();
            consent.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> answered.size() >= beforeRestart + 5);
            stop.set(true);
            callers.shutdown();
            assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            // every answered registration is in consent-service's read model, and in the audit once, without findings
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (String client : answered) {
                    assertThat(http.get("/api/clients/" + client).status()).as(client).isEqualTo(200);
                    assertThat(database.getCollection(AuditClient.COLLECTION).countDocuments(Filters.eq("_id", client)))
                            .as("audit record of " + client).isEqualTo(1);
                    assertThat(database.getCollection(AuditEntry.COLLECTION).countDocuments(Filters.and(
                            Filters.eq("clientId", client),
                            Filters.eq("type", "stillpoint.consent.client-registered.v1")))).isEqualTo(1);
                }
            });
            JsonNode report = audit().get("/api/audit/ledger/verification").body();
            assertThat(report.get("firstBrokenLink").isNull()).isTrue();
            assertThat(report.get("findings").values()).noneMatch(f -> answered.contains(f.get("clientId").asString()));
        }
    }

    private static ProducerRecord<String, byte[]> record(String subject, String id, String aggregate, long sequence,
                                                         String value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("stillpoint.session.v1", subject,
                                                                     value.getBytes(StandardCharsets.UTF_8));
        Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", "stillpoint.session.note-signed.v1",
               "ce_source", "/stillpoint/session-service", "ce_subject", subject, "ce_time", Instant.now().toString(),
               "ce_aggregateid", aggregate, "ce_sequence", Long.toString(sequence), "content-type", "application/json")
           .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return HandMadeRecords.sign(record, TestIssuer.shared().signingKey("session-service"));
    }

    /**
     * A forged record on each topic the audit reads — unsigned, signed with another service's key, signed with a key of
     * its own under the genuine key id, and a genuinely signed record changed after signing — is parked with what is
     * wrong with its signature and enters no ledger.
     */
    @Test
    void aForgedRecordOnAnyTopicIsParkedAndEntersNoLedger() throws Exception {
        Http asOperator = new Http(port).withToken(operator);
        Map<String, String> expected = new LinkedHashMap<>();
        String unsigned = UUID.randomUUID().toString();
        HandMadeRecords.sendUnsigned("stillpoint.session.v1", unsigned, forgedHeaders(
                "stillpoint.session.note-signed.v1", "/stillpoint/session-service", unsigned),
                signed(unsigned, UUID.randomUUID().toString(), "2026-11-30T10:00:00Z"));
        expected.put(unsigned, "unsigned");
        String otherKey = UUID.randomUUID().toString();
        HandMadeRecords.send("stillpoint.referral.v1", otherKey, forgedHeaders(
                "stillpoint.referral.issued.v1", "/stillpoint/referral-service", otherKey), "{\"clientId\":\""
                + otherKey + "\"}", TestIssuer.shared().signingKey("consent-service"));
        expected.put(otherKey, "unknown-key");
        String ownKey = UUID.randomUUID().toString();
        HandMadeRecords.send("stillpoint.access.v1", ownKey, forgedHeaders(
                "stillpoint.access.client-accessed.v1", "/stillpoint/referral-service", ownKey), "{\"clientId\":\""
                + ownKey + "\"}", new ECKeyGenerator(Curve.P_256)
                .keyID(TestIssuer.shared().signingKey("referral-service").getKeyID()).generate());
        expected.put(ownKey, "bad-signature");
        String tampered = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> genuine = HandMadeRecords.sign(record(tampered, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), 0, signed(tampered, UUID.randomUUID().toString(), "2026-11-30T11:00:00Z")),
                TestIssuer.shared().signingKey("session-service"));
        Map<String, String> changed = new LinkedHashMap<>();
        genuine.headers().forEach(h -> changed.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        changed.put(CloudEventHeaders.TIME, "2020-01-01T00:00:00Z");
        HandMadeRecords.sendUnsigned("stillpoint.session.v1", tampered, changed,
                                     new String(genuine.value(), StandardCharsets.UTF_8));
        expected.put(tampered, "bad-signature");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> reasons = new LinkedHashMap<>();
            asOperator.get("/api/operations/dead-letters").body().values().forEach(
                    l -> reasons.put(l.get("clientId").asString(), l.get("reason").asString()));
            expected.forEach((client, reason) -> assertThat(reasons).as(client).containsEntry(client, reason));
        });
        for (String client : expected.keySet()) {
            assertThat(database.getCollection("ledger").countDocuments(Filters.and(
                    Filters.eq("headers.ce_subject", client),
                    Filters.ne("headers.ce_type", "stillpoint.access.dead-letter-handled.v1"))))
                    .as("no ledger entry for a forged record of " + client).isZero();
            // what enters the ledger is the security event: the refusal of a record that named the client
            await().atMost(Duration.ofSeconds(30)).until(() -> database.getCollection("ledger").countDocuments(
                    Filters.and(Filters.eq("headers.ce_subject", client),
                                Filters.eq("headers.ce_type", "stillpoint.access.dead-letter-handled.v1"))) >= 1);
        }
        for (JsonNode letter : asOperator.get("/api/operations/dead-letters").body().values()) {
            if (expected.containsKey(letter.get("clientId").asString())) {
                assertThat(asOperator.post("/api/operations/dead-letters/" + letter.get("id").asString() + "/drop",
                                         "{\"reason\":\"forged\"}").status()).isEqualTo(200);
            }
        }
    }

    private static Map<String, String> forgedHeaders(String type, String source, String client) {
        return HandMadeRecords.headers(type, source, client, UUID.randomUUID().toString(), 0);
    }

    @Test
    void aRegistrationCanBeFollowedFromTheRequestThroughTheTopicIntoTheLedger() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        Http consent = ServiceBeside.of(ConsentServiceApplication.class).withToken(practitioner);
        Http.Response created = consent.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"Tess","familyName":"Orme","dateOfBirth":"1977-07-07"}
                """, "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
        assertThat(created.status()).isEqualTo(201);
        String traced = created.body().get("clientId").asString();
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.consent.v1")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                topic.poll();
                assertThat(topic.keyed(traced)).singleElement().satisfies(record -> assertThat(
                        CloudEventHeaders.text(record.headers(), CloudEventHeaders.TRACEPARENT))
                        .as("the request's trace, on the record").startsWith("00-" + traceId + "-"));
            });
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Document entry = database.getCollection("ledger").find(Filters.eq("headers.ce_subject", traced)).first();
            assertThat(entry).as("the ledger entry of the registration").isNotNull();
            assertThat(entry.get("headers", Document.class).getString("traceparent")).startsWith("00-" + traceId + "-");
        });
    }

    private JsonNode entry(String type) {
        return audit().get("/api/audit/clients/" + clientId + "/timeline").body().get("entries").values().stream()
                      .filter(e -> e.get("type").asString().equals(type)).findFirst().orElseThrow();
    }

    /** The client's audit document once no more events arrive for it (every read so far has been logged back). */
    private Document settled() {
        AtomicReference<Document> previous = new AtomicReference<>();
        return await("the client's audit document stops changing").atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(1_500))
                .until(() -> {
                    Document now = auditDocument();
                    return now.equals(previous.getAndSet(now)) ? now : null;
                }, Objects::nonNull);
    }

    /** The client's audit record as stored: where they belong, and every entry in timeline order. */
    private Document auditDocument() {
        return new Document("client", database.getCollection(AuditClient.COLLECTION).find(Filters.eq("_id", clientId))
                                              .first())
                .append("entries", database.getCollection(AuditEntry.COLLECTION).find(Filters.eq("clientId", clientId))
                                           .sort(Sorts.ascending("recordedAt", "_id")).into(new ArrayList<>()));
    }

    /** The ids of the client's entries, in timeline order. */
    private List<String> entryIds(String client) {
        return database.getCollection(AuditEntry.COLLECTION).find(Filters.eq("clientId", client))
                       .sort(Sorts.ascending("recordedAt", "_id")).map(e -> e.getString("_id")).into(new ArrayList<>());
    }
}
