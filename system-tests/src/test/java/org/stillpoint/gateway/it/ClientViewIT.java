package org.stillpoint.gateway.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stillpoint.audit.FhirValidation;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.copy.CopyGrant;
import org.stillpoint.platform.copy.CopyGrants;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.security.Role;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's own view (role {@code CLIENT}, DESIGN §7), through the gateway: their consents, which they withdraw
 * themselves; their sessions, without notes; who looked at their record, and their disclosures. Only their own: every
 * staff endpoint refuses them, another client's token sees nothing of theirs, and an erased client reaches the fact
 * of the erasure only. Their reads are access events.
 */
@UsesBackends
class ClientViewIT {

    private static Fixtures fixtures;

    @BeforeAll
    static void fixtures() {
        fixtures = new Fixtures(Suite.gateway());
    }

    private static String clientToken(String clientId) {
        return TestIssuer.shared().minter().mintClient("client-" + clientId.substring(0, 8), Callers.ORGANISATION,
                                                       clientId, Duration.ofHours(1));
    }

    @Test
    void aClientReadsAndWithdrawsTheirOwnRecordAndNothingElse() {
        String[] client = fixtures.client();
        String clientId = client[0];
        String consentId = client[1];
        String sessionId = fixtures.session(clientId, client[2]);
        fixtures.referral(clientId, client[2]);
        fixtures.awaitAudit(clientId);
        Http gateway = Suite.gateway();
        assertThat(gateway.withToken(Callers.owner()).get("/api/clients/" + clientId).status()).isEqualTo(200);
        Http me = gateway.withToken(clientToken(clientId));

        JsonNode consents = me.get("/api/me/consents").body();
        assertThat(consents.get("clientId").asString()).isEqualTo(clientId);
        assertThat(consents.get("consents").values()).extracting(c -> c.get("consentId").asString()).contains(consentId);

        Http.Response sessions = me.get("/api/me/sessions");
        assertThat(sessions.status()).as(sessions.raw().body()).isEqualTo(200);
        assertThat(sessions.body().get("notesShown").asBoolean()).isFalse();
        assertThat(sessions.body().get("sessions").values()).singleElement().satisfies(s -> {
            assertThat(s.get("sessionId").asString()).isEqualTo(sessionId);
            assertThat(s.get("modalities").values()).extracting(JsonNode::asString).contains("CRANIOSACRAL_THERAPY");
            assertThat(s.get("note").isNull()).isTrue();
        });
        assertThat(sessions.raw().body()).doesNotContain("occiput", "Deep settling");

        Http.Response disclosures = me.get("/api/me/disclosures");
        assertThat(disclosures.status()).as(disclosures.raw().body()).isEqualTo(200);
        assertThat(disclosures.raw().body()).contains("Dr. Amara Osei");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response accesses = me.get("/api/me/accesses");
            assertThat(accesses.status()).as(accesses.raw().body()).isEqualTo(200);
            assertThat(accesses.body().get("personShown").asBoolean()).isTrue();
            assertThat(accesses.body().get("accesses").values())
                    .anySatisfy(a -> {
                        assertThat(a.get("person").asString()).isEqualTo("practitioner@harbour-street.stillwater");
                        assertThat(a.get("roles").values()).extracting(JsonNode::asString).containsExactly("PRACTITIONER");
                        assertThat(a.get("clinics").values()).extracting(JsonNode::asString)
                                                             .containsExactly("harbour-street");
                        assertThat(a.get("action").asString()).isEqualTo("READ");
                        assertThat(a.get("what").asString()).startsWith("the ").doesNotContain("/api/");
                    });
        });

        Http.Response withdrawn = me.post("/api/me/consents/" + consentId + "/withdrawals",
                                          "{\"scopes\":[\"VERBAL_PROCESSING\"],\"reason\":\"I prefer not to talk\"}");
        assertThat(withdrawn.status()).as(withdrawn.raw().body()).isEqualTo(201);
        JsonNode history = me.get("/api/me/consents").body().get("consents").values().stream()
                             .filter(c -> c.get("consentId").asString().equals(consentId)).findFirst().orElseThrow()
                             .get("history");
        // the client is named by their client id, never by their sign-in subject (docs/ERASURE.md)
        assertThat(history.get(history.size() - 1).get("by").asString()).isEqualTo("client/" + clientId);

        // nothing but their own: no staff endpoint, not another client's record
        RefusalCheck.problem(me.get("/api/clients/" + clientId), 403, "role-not-allowed");
        RefusalCheck.problem(me.get("/api/clients/" + clientId + "/sessions"), 403, "role-not-allowed");
        RefusalCheck.problem(me.get("/api/audit/clients/" + clientId + "/timeline"), 403, "role-not-allowed");
        RefusalCheck.problem(me.post("/api/clients/" + clientId + "/consents", Fixtures.grant()), 403, "role-not-allowed");
        RefusalCheck.problem(me.get("/api/audit/ledger/verification"), 403, "role-not-allowed");
        String other = fixtures.client()[0];
        Http otherClient = gateway.withToken(clientToken(other));
        assertThat(otherClient.get("/api/me/consents").raw().body()).doesNotContain(consentId, clientId);
        RefusalCheck.problem(otherClient.post("/api/me/consents/" + consentId + "/withdrawals", "{}"), 404, "consent-not-found");
        // staff reach no /api/me, a CLIENT token must name its client, and in its own organisation
        RefusalCheck.problem(gateway.withToken(Callers.owner()).get("/api/me/consents"), 403, "role-not-allowed");
        RefusalCheck.problem(gateway.withToken(Callers.OWN_CLINIC.token(Role.CLIENT)).get("/api/me/sessions"), 403,
                      "role-not-allowed");
        String elsewhere = TestIssuer.shared().minter().mintClient("someone", "riverside", clientId, Duration.ofHours(1));
        RefusalCheck.problem(gateway.withToken(elsewhere).get("/api/me/accesses"), 404, "client-not-found");
        RefusalCheck.problem(gateway.withToken(clientToken(ClientId.random().toString())).get("/api/me/consents"), 404,
                      "client-not-found");

        // the client's own reads are in the access log the compliance officer reads
        Http officer = gateway.withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                officer.get("/api/audit/clients/" + clientId + "/accesses").raw().body())
                .contains("client/" + clientId, "looked at their own consents", "looked at their own sessions")
                .as("the client is named by their client id, never by their sign-in subject")
                .doesNotContain("client-" + clientId.substring(0, 8)));
    }

    /**
     * The client's copy (DESIGN §10): asked in their view, produced in the background from every service's part under
     * a copy grant, and downloaded as a FHIR bundle FHIR's own validator accepts and as a document a person reads —
     * each download counted, the last one refused; nobody else downloads it, and no service hands its part over on a
     * grant consent-service did not sign.
     */
    @Test
    void aClientDownloadsACopyOfTheirWholeRecord() throws Exception {
        String[] client = fixtures.client();
        String clientId = client[0];
        fixtures.session(clientId, client[2]);
        fixtures.referral(clientId, client[2]);
        fixtures.awaitAudit(clientId);
        Http me = Suite.gateway().withToken(clientToken(clientId));
        Http.Response asked = me.post("/api/me/copy-requests", "");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String requestId = asked.body().get("requestId").asString();
        RefusalCheck.problem(me.get("/api/me/copy-requests/" + requestId + "/bundle"), 409, "copy-not-ready");

        // the organisation does not show notes to clients: a clinic administrator of the client's clinic decides
        awaitCopy(me, "AWAITING_NOTES_DECISION");
        String decision = "/api/clients/" + clientId + "/copy-requests/" + requestId + "/notes-decision";
        Http admin = Suite.gateway().withToken(Callers.OWN_CLINIC.token(Role.CLINIC_ADMIN));
        RefusalCheck.problem(Suite.gateway().withToken(Callers.owner()).post(decision, "{\"release\":true}"), 403,
                             "role-not-allowed");
        RefusalCheck.problem(admin.post(decision, "{\"release\":false}"), 400, "invalid-request");
        Http.Response released = admin.post(decision, "{\"release\":true}");
        assertThat(released.status()).as(released.raw().body()).isEqualTo(201);
        RefusalCheck.problem(admin.post(decision, "{\"release\":false,\"reason\":\"second thoughts\"}"), 409,
                             "copy-notes-decided");

        JsonNode produced = awaitCopy(me, "PRODUCED");
        assertThat(produced.get("notes").asString()).isEqualTo("RELEASED");
        assertThat(produced.get("downloadsLeft").asInt()).isEqualTo(5);
        String bundlePath = produced.get("downloads").get("bundle").asString();
        String documentPath = produced.get("downloads").get("document").asString();

        Http.Response bundle = me.get(bundlePath);
        assertThat(bundle.status()).as(bundle.raw().body()).isEqualTo(200);
        assertThat(bundle.header("Content-Type")).startsWith("application/fhir+json");
        assertThat(bundle.header("Copy-Downloads-Left")).isEqualTo("4");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                bundle.raw().body().getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(produced.get("bundleSha256").asString());
        assertThat(FhirValidation.errors(bundle.raw().body())).isEmpty();
        assertThat(bundle.body().get("entry").values()).extracting(e -> e.get("resource").get("resourceType").asString())
                                                       .contains("Patient", "Consent", "Procedure", "ServiceRequest",
                                                                 "AuditEvent");
        assertThat(bundle.raw().body()).contains("Ashdown", "Dr. Amara Osei", "Restriction at the occiput");

        Http.Response document = me.get(documentPath);
        assertThat(document.status()).as(document.raw().body()).isEqualTo(200);
        assertThat(document.header("Content-Type")).startsWith("text/html");
        assertThat(document.header("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(document.raw().body()).contains("Robin Ashdown", "2 March 1984", "craniosacral therapy",
                                                   "Dr. Amara Osei", "Restriction at the occiput",
                                                   "a clinic administrator released the notes", "Who looked at your record")
                                         .doesNotContain("CRANIOSACRAL_THERAPY", "<script");
        readInABrowser(document.raw().body());

        // nobody else downloads it: another client, staff
        String other = fixtures.client()[0];
        RefusalCheck.problem(Suite.gateway().withToken(clientToken(other)).get(bundlePath), 404,
                             "copy-request-not-found");
        RefusalCheck.problem(Suite.gateway().withToken(Callers.owner()).get(bundlePath), 403, "role-not-allowed");
        // no part is handed over on a grant consent-service did not sign
        Http.Response unsigned = Suite.sessions().send("GET", "/copies/" + requestId + "/sessions", null, null);
        RefusalCheck.problem(unsigned, 403, "copy-grant-invalid");
        CopyGrants sessionsGrants = new CopyGrants(new RecordSigner(TestIssuer.shared().signingKey("session-service"),
                                                                    List.of()), () -> null, Clock.systemUTC());
        String wrongKey = sessionsGrants.sign(new CopyGrant(UUID.fromString(requestId), ClientId.of(clientId),
                                                            OrganisationId.of(Callers.ORGANISATION), true,
                                                            Instant.now().plusSeconds(600)));
        Http.Response signedElsewhere = Suite.sessions().get("/copies/" + requestId + "/sessions", CopyGrants.HEADER,
                                                             wrongKey);
        RefusalCheck.problem(signedElsewhere, 403, "copy-grant-invalid");

        // five downloads in all, in either form; the sixth is refused
        for (int left = 2; left >= 0; left--) {
            Http.Response again = me.get(left % 2 == 0 ? bundlePath : documentPath);
            assertThat(again.status()).as(again.raw().body()).isEqualTo(200);
            assertThat(again.header("Copy-Downloads-Left")).isEqualTo(String.valueOf(left));
        }
        RefusalCheck.problem(me.get(bundlePath), 410, "copy-downloads-used");
        // each download is on the client's record, for the compliance officer
        Http officer = Suite.gateway().withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                officer.get("/api/audit/clients/" + clientId + "/timeline").raw().body())
                .contains("stillpoint.consent.copy-notes-referred", "stillpoint.consent.copy-notes-decided",
                          "stillpoint.consent.copy-produced", "stillpoint.consent.copy-downloaded"));

        // the copy goes with the client: the sealed stretches are removed at the erasure
        MongoTemplate consentStore = ServiceBeside.context(ConsentServiceApplication.class).getBean(MongoTemplate.class);
        Query clientsCopy = Query.query(Criteria.where("clientId").is(clientId));
        assertThat(consentStore.count(clientsCopy, "copy_chunks")).isPositive();
        Http.Response erased = officer.post("/api/clients/" + clientId + "/erasure-requests/"
                                                    + fixtures.erasureRequest(clientId) + "/approval",
                                            Fixtures.ERASURE_APPROVAL);
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(consentStore.count(clientsCopy, "copy_chunks")).isZero();
            assertThat(consentStore.count(clientsCopy, "copy_files")).isZero();
        });
        RefusalCheck.problem(me.get(bundlePath), 410, "client-erased");
    }

    /**
     * A clinic administrator may keep the notes out of a copy, with a reason: the copy holds every session without its
     * note, and says who decided, when and why.
     */
    @Test
    void aCopyWhoseNotesAreNotReleasedSaysWhy() {
        String[] client = fixtures.client();
        String clientId = client[0];
        fixtures.session(clientId, client[2]);
        Http me = Suite.gateway().withToken(clientToken(clientId));
        String requestId = me.post("/api/me/copy-requests", "").body().get("requestId").asString();
        awaitCopy(me, "AWAITING_NOTES_DECISION");
        Http.Response denied = Suite.gateway().withToken(Callers.OWN_CLINIC.token(Role.CLINIC_ADMIN)).post(
                "/api/clients/" + clientId + "/copy-requests/" + requestId + "/notes-decision",
                "{\"release\":false,\"reason\":\"The notes name another person who has not agreed\"}");
        assertThat(denied.status()).as(denied.raw().body()).isEqualTo(201);
        JsonNode produced = awaitCopy(me, "PRODUCED");
        assertThat(produced.get("notes").asString()).isEqualTo("WITHHELD");
        String document = me.get(produced.get("downloads").get("document").asString()).raw().body();
        assertThat(document).contains("not to release the notes of your sessions for this copy",
                                      "The notes name another person who has not agreed", "craniosacral therapy")
                            .doesNotContain("occiput", "Deep settling");
        assertThat(me.get(produced.get("downloads").get("bundle").asString()).raw().body())
                .contains("\"resourceType\":\"Procedure\"").doesNotContain("occiput");
    }

    /** The client's (one) copy request, once it has {@code status}. */
    private static JsonNode awaitCopy(Http me, String status) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> me.get("/api/me/copy-requests").body().get("requests").get(0),
                r -> r.get("status").asString().equals(status));
    }

    /**
     * The readable copy as a person sees it, in Debian's Chromium where it is installed: axe-core finds no serious or
     * critical violation, and the picture goes to {@code stillpoint.screenshots} ({@code docs/console} refreshes the
     * documentation's).
     */
    private static void readInABrowser(String html) throws Exception {
        if (!HeadlessChromium.installed()) {
            return;
        }
        Path file = Files.createTempFile("record-", ".html");
        Files.writeString(file, html);
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.open(file.toUri().toString());
            if (HeadlessChromium.axeInstalled()) {
                assertThat(browser.violations()).as("the readable copy").isEmpty();
            }
            Path screenshots = Path.of(System.getProperty("stillpoint.screenshots", "target/console"));
            Files.createDirectories(screenshots);
            browser.screenshot(screenshots.resolve("copy-document.png"));
        }
    }

    @Test
    void anErasedClientReachesTheFactOfTheErasureOnly() {
        String clientId = fixtures.client()[0];
        Http gateway = Suite.gateway();
        String request = fixtures.erasureRequest(clientId);
        Http.Response erased = gateway.withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER))
                                      .post("/api/clients/" + clientId + "/erasure-requests/" + request + "/approval",
                                            Fixtures.ERASURE_APPROVAL);
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(201);
        Http me = gateway.withToken(clientToken(clientId));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String path : List.of("/api/me/consents", "/api/me/sessions", "/api/me/accesses",
                                       "/api/me/disclosures")) {
                Http.Response read = me.get(path);
                RefusalCheck.problem(read, 410, "client-erased");
                assertThat(read.body().get("erasedAt").asString()).isEqualTo(erased.body().get("erasedAt").asString());
            }
        });
        RefusalCheck.problem(me.post("/api/me/consents/" + ClientId.random() + "/withdrawals", "{}"), 409, "client-erased");
    }

    /**
     * GDPR Art. 19: the erasure owes the referral's recipient a notice; the compliance officer closes it as told (an event
     * on the client's timeline), once; the client reads, for the organisation's window after the erasure, whom their
     * data went to and that they were told — before the erasure, whom it went to.
     */
    @Test
    void anErasureOwesEachRecipientANoticeTheOfficerClosesAndTheClientSees() {
        String[] client = fixtures.client();
        String clientId = client[0];
        fixtures.referral(clientId, client[2]);
        Http me = Suite.gateway().withToken(clientToken(clientId));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response before = me.get("/api/me/recipients");
            assertThat(before.status()).as(before.raw().body()).isEqualTo(200);
            assertThat(before.body().get("recipients").values()).singleElement().satisfies(r -> {
                assertThat(r.get("name").asString()).isEqualTo("Dr. Amara Osei");
                assertThat(r.get("notice").isNull()).isTrue();
            });
        });
        Http officer = Suite.gateway().withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER));
        String request = fixtures.erasureRequest(clientId);
        assertThat(officer.post("/api/clients/" + clientId + "/erasure-requests/" + request + "/approval",
                                Fixtures.ERASURE_APPROVAL).status()).isEqualTo(201);

        String[] key = new String[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response owed = officer.get("/api/audit/erasure-notices");
            assertThat(owed.status()).as(owed.raw().body()).isEqualTo(200);
            List<JsonNode> ours = owed.body().get("notices").values().stream()
                                      .filter(n -> n.get("clientId").asString().equals(clientId)).toList();
            assertThat(ours).as("the erasure's notices, once the audit has read it").hasSize(1);
            JsonNode notice = ours.getFirst();
            assertThat(notice.get("recipientName").asString()).isEqualTo("Dr. Amara Osei");
            assertThat(notice.get("outcome").isNull()).isTrue();
            key[0] = notice.get("id").asString().substring(clientId.length() + 1);
        });
        String path = "/api/audit/clients/" + clientId + "/erasure-notices/" + key[0];
        // the refusals: a practitioner, no outcome, an outcome in free words, a notice that is not there
        RefusalCheck.problem(Suite.gateway().withToken(Callers.owner()).post(path, "{\"outcome\":\"NOTIFIED_BY_LETTER\"}"),
                             403, "role-not-allowed");
        Http.Response noOutcome = officer.post(path, "{}");
        RefusalCheck.problem(noOutcome, 400, "invalid-request");
        assertThat(noOutcome.body().get("field").asString()).isEqualTo("outcome");
        RefusalCheck.problem(officer.post(path, "{\"outcome\":\"told Robin's doctor\"}"), 400, "invalid-request");
        RefusalCheck.problem(officer.post("/api/audit/clients/" + clientId + "/erasure-notices/0000",
                                          "{\"outcome\":\"NOTIFIED_BY_LETTER\"}"), 404, "notice-not-found");
        String elsewhere = TestIssuer.shared().token("cole-elsewhere", "harmony-health", List.of(),
                                                     List.of("COMPLIANCE_OFFICER"));
        RefusalCheck.problem(Suite.gateway().withToken(elsewhere).post(path, "{\"outcome\":\"NOTIFIED_BY_LETTER\"}"),
                             404, "notice-not-found");

        Http.Response closed = officer.post(path, "{\"outcome\":\"NOTIFIED_BY_LETTER\"}");
        assertThat(closed.status()).as(closed.raw().body()).isEqualTo(200);
        assertThat(closed.body().get("outcome").asString()).isEqualTo("NOTIFIED_BY_LETTER");
        RefusalCheck.problem(officer.post(path, "{\"outcome\":\"NOT_REQUIRED_IMPOSSIBLE\"}"), 409, "notice-closed");

        // the client, after the erasure, within the window: whom it went to, and that they were told
        Http.Response after = me.get("/api/me/recipients");
        assertThat(after.status()).as(after.raw().body()).isEqualTo(200);
        assertThat(after.body().get("erasedAt").isNull()).isFalse();
        assertThat(after.body().get("recipients").values()).singleElement().satisfies(
                r -> assertThat(r.get("notice").asString()).isEqualTo("told by letter"));
        RefusalCheck.problem(me.get("/api/me/disclosures"), 410, "client-erased");
        // and the closing is an event on the client's timeline
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                officer.get("/api/audit/clients/" + clientId + "/timeline").body().get("entries").values())
                .anySatisfy(e -> assertThat(e.get("type").asString())
                        .isEqualTo("stillpoint.access.erasure-notice-recorded.v1")));
    }

    /**
     * A request for a copy of the record is one more record on the consent topic: the views of session- and
     * referral-service read past it, so the client's next session and referral are decided as before, never held.
     */
    @Test
    void aCopyRequestHoldsNothingOfTheClientUp() {
        String[] client = fixtures.client();
        String clientId = client[0];
        Http.Response asked = Suite.gateway().withToken(clientToken(clientId)).post("/api/me/copy-requests", "");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String sequence = asked.body().get("sequence").asString();
        Http owner = Suite.gateway().withToken(Callers.owner());
        Http.Response session = owner.post("/api/clients/" + clientId + "/sessions",
                                           Fixtures.sessionBody(sequence, Fixtures.NOTE));
        assertThat(session.status()).as(session.raw().body()).isEqualTo(201);
        Http.Response referral = owner.post("/api/clients/" + clientId + "/referrals", Fixtures.referralBody(sequence));
        assertThat(referral.status()).as(referral.raw().body()).isEqualTo(201);
        Http operator = Suite.gateway().withToken(Callers.OWN_CLINIC.token(Role.OPERATOR));
        for (String service : List.of("session-service", "referral-service")) {
            assertThat(operator.get("/api/operations/" + service + "/dead-letters").raw().body())
                    .as(service + " parks nothing of the client").doesNotContain(clientId);
        }
    }
}
