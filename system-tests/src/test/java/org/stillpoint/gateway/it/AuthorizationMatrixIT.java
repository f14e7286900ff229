package org.stillpoint.gateway.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stillpoint.security.Role;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every role × every endpoint × the client's own clinic, another clinic of the organisation, another organisation,
 * through the gateway on the real embedded stack: the allowed calls succeed, the others are refused with 403, or 404
 * where even the client's existence must not show (another organisation); and every endpoint × every staff role for a
 * member whose membership ended in the directory: 403. A new endpoint is added to {@link Endpoint}.
 */
@UsesBackends
class AuthorizationMatrixIT {

    /** The client every call is about, with a consent, a session and a referral. */
    private static String clientId;
    private static String consentId;
    private static String sequence;
    private static String sessionId;
    private static String referralId;
    private static Fixtures fixtures;

    @BeforeAll
    static void aClientWithRecords() {
        fixtures = new Fixtures(Suite.gateway());
        String[] client = fixtures.client();
        clientId = client[0];
        consentId = client[1];
        sequence = client[2];
        sessionId = fixtures.session(clientId, sequence);
        referralId = fixtures.referral(clientId, sequence);
        fixtures.awaitAudit(clientId);
        // another organisation's officer opens their follow-up list: their own chain holds that list (one access
        // event naming the clients it showed, none of ours) and nothing else of this suite
        Http other = Suite.gateway().withToken(Callers.OTHER_ORGANISATION.token(Role.COMPLIANCE_OFFICER));
        assertThat(other.get("/api/referrals/open").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                other.get("/api/audit/ledger/verification").body().get("entries").asLong()).isPositive());
    }

    /** What a call does, and what it answers when allowed. Writes that consume their target get a fresh one. */
    enum Endpoint {
        CLIENT(() -> "/api/clients/" + clientId),
        CONSENTS(() -> "/api/clients/" + clientId + "/consents"),
        CONSENT(() -> "/api/clients/" + clientId + "/consents/" + consentId),
        SESSIONS(() -> "/api/clients/" + clientId + "/sessions"),
        SESSION(() -> "/api/clients/" + clientId + "/sessions/" + sessionId),
        REFERRALS(() -> "/api/clients/" + clientId + "/referrals"),
        REFERRAL(() -> "/api/clients/" + clientId + "/referrals/" + referralId),
        REGISTER(201, (http, allowed) -> http.post("/api/clients", """
                {"organisationId":"stillwater","clinicId":"harbour-street","givenName":"Sam","familyName":"Reed",
                 "dateOfBirth":"1990-01-01"}
                """)),
        GRANT(201, (http, allowed) -> http.post("/api/clients/" + clientId + "/consents", Fixtures.grant())),
        WITHDRAW(201, (http, allowed) -> {
            String target = allowed ? fixtures.consent(clientId) : consentId;
            return http.post("/api/clients/" + clientId + "/consents/" + target + "/withdrawals",
                             "{\"scopes\":[\"VERBAL_PROCESSING\"]}");
        }),
        RECORD_SESSION(201, (http, allowed) -> http.post("/api/clients/" + clientId + "/sessions",
                                                         Fixtures.sessionBody(sequence, Fixtures.NOTE))),
        REVISE_NOTE(200, (http, allowed) -> {
            String target = allowed ? fixtures.session(clientId, sequence) : sessionId;
            return http.put("/api/clients/" + clientId + "/sessions/" + target + "/note", Fixtures.NOTE);
        }),
        SIGN(201, (http, allowed) -> {
            String target = allowed ? fixtures.session(clientId, sequence) : sessionId;
            return http.post("/api/clients/" + clientId + "/sessions/" + target + "/signature", "");
        }),
        AMEND(201, (http, allowed) -> {
            String target = allowed ? fixtures.signedSession(clientId, sequence) : sessionId;
            return http.post("/api/clients/" + clientId + "/sessions/" + target + "/amendments",
                             "{\"section\":\"observations\",\"text\":\"Also the left side\",\"reason\":\"Omitted\"}");
        }),
        ISSUE_REFERRAL(201, (http, allowed) -> http.post("/api/clients/" + clientId + "/referrals",
                                                         Fixtures.referralBody(sequence))),
        CHANGE_REFERRAL_STATUS(201, (http, allowed) -> {
            String target = allowed ? fixtures.referral(clientId, sequence) : referralId;
            return http.post("/api/clients/" + clientId + "/referrals/" + target + "/status",
                             "{\"status\":\"ACKNOWLEDGED\"}");
        }),
        REQUEST_ERASURE(201, (http, allowed) -> {
            String target = allowed ? fixtures.client()[0] : clientId;
            return http.post("/api/clients/" + target + "/erasure-requests", Fixtures.ERASURE_REQUEST);
        }),
        WITHDRAW_ERASURE_REQUEST(201, (http, allowed) -> {
            String target = allowed ? fixtures.client()[0] : clientId;
            String request = allowed ? fixtures.erasureRequest(target) : java.util.UUID.randomUUID().toString();
            return http.post("/api/clients/" + target + "/erasure-requests/" + request + "/withdrawal", "");
        }),
        APPROVE_ERASURE(201, (http, allowed) -> {
            String target = allowed ? fixtures.client()[0] : clientId;
            String request = allowed ? fixtures.erasureRequest(target) : java.util.UUID.randomUUID().toString();
            return http.post("/api/clients/" + target + "/erasure-requests/" + request + "/approval",
                             Fixtures.ERASURE_APPROVAL);
        }),
        ME_CONSENTS(() -> "/api/me/consents"),
        ME_WITHDRAW(201, (http, allowed) -> {
            String target = allowed ? fixtures.consent(clientId) : consentId;
            return http.post("/api/me/consents/" + target + "/withdrawals", "{\"scopes\":[\"VERBAL_PROCESSING\"]}");
        }),
        ME_SESSIONS(() -> "/api/me/sessions"),
        ME_ACCESSES(() -> "/api/me/accesses"),
        ME_DISCLOSURES(() -> "/api/me/disclosures"),
        OPEN_REFERRALS(() -> "/api/referrals/open"),
        AUDIT_TIMELINE(() -> "/api/audit/clients/" + clientId + "/timeline"),
        AUDIT_AS_OF(() -> "/api/audit/clients/" + clientId + "/timeline?asOf=2026-01-01T00:00:00Z"),
        AUDIT_DISCLOSURES(() -> "/api/audit/clients/" + clientId + "/disclosures"),
        AUDIT_ACCESSES(() -> "/api/audit/clients/" + clientId + "/accesses"),
        AUDIT_EXPORT(() -> "/api/audit/clients/" + clientId + "/export?format=fhir"),
        // the console's pages, at audit-service with a bearer token as the gateway relays a signed-in browser's
        AUDIT_CONSOLE_CLIENT(() -> "/console/clients/" + clientId),
        AUDIT_CONSOLE_SEARCH(() -> "/console?client=" + clientId),
        LEDGER_VERIFICATION(() -> "/api/audit/ledger/verification"),
        LEDGER_CHECKPOINT(201, (http, allowed) -> http.post("/api/audit/ledger/checkpoints", "")),
        // the operations endpoints: operators only, each seeing their own organisation's letters (DeadLetterIT)
        OPS_DEAD_LETTERS(() -> "/api/operations/session-service/dead-letters"),
        OPS_PROJECTION_LETTERS(() -> "/api/operations/consent-service/dead-letters/projections"),
        OPS_RETRY_ALL(200, (http, allowed) -> http.post("/api/operations/referral-service/dead-letters/retry", ""));

        boolean operations() {
            return name().startsWith("OPS_");
        }

        boolean me() {
            return name().startsWith("ME_");
        }

        boolean console() {
            return name().startsWith("AUDIT_CONSOLE");
        }

        boolean audit() {
            return name().startsWith("AUDIT") || this == LEDGER_VERIFICATION;
        }

        final boolean read;
        final int success;
        private final BiFunction<Http, Boolean, Http.Response> call;

        /** A read: {@code GET} of the path, {@code 200} when allowed. */
        Endpoint(Supplier<String> path) {
            this(true, 200, (http, allowed) -> http.get(path.get()));
        }

        /** A write, answering {@code success} when allowed; {@code allowed} says whether to aim at a fresh target. */
        Endpoint(int success, BiFunction<Http, Boolean, Http.Response> call) {
            this(false, success, call);
        }

        Endpoint(boolean read, int success, BiFunction<Http, Boolean, Http.Response> call) {
            this.read = read;
            this.success = success;
            this.call = call;
        }

        Http.Response call(Http http, boolean allowed) {
            return call.apply(http, allowed);
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (Role role : Role.values()) {
                for (Callers where : Callers.values()) {
                    cases.add(Arguments.of(endpoint, role, where));
                }
            }
        }
        return cases.stream();
    }

    /** The rule of DESIGN §5, written out once more, independently of the services' code. */
    static int expected(Endpoint endpoint, Role role, Callers where) {
        boolean writer = role == Role.PRACTITIONER || role == Role.CLINIC_ADMIN;
        if (endpoint.operations()) {
            // operators of any organisation reach them, each answered with their own organisation's letters
            return role == Role.OPERATOR ? endpoint.success : 403;
        }
        if (endpoint == Endpoint.REVISE_NOTE && role == Role.CLINIC_ADMIN && where == Callers.OWN_CLINIC) {
            // a draft is revised by its author only (the matrix's sessions are its practitioner's); a clinic admin
            // may sign it on their behalf
            return 403;
        }
        boolean auditor = role == Role.CLINIC_ADMIN || role == Role.COMPLIANCE_OFFICER;
        if (endpoint == Endpoint.LEDGER_CHECKPOINT) {
            // a compliance officer signs their own organisation's head, whichever organisation that is
            return role == Role.COMPLIANCE_OFFICER ? 201 : 403;
        }
        if (endpoint == Endpoint.LEDGER_VERIFICATION || endpoint == Endpoint.AUDIT_CONSOLE_SEARCH) {
            return auditor ? 200 : 403;
        }
        if (endpoint.audit()) {
            if (where == Callers.OTHER_ORGANISATION) {
                return 404;
            }
            return role == Role.COMPLIANCE_OFFICER || role == Role.CLINIC_ADMIN && where == Callers.OWN_CLINIC ? 200 : 403;
        }
        if (endpoint == Endpoint.OPEN_REFERRALS) {
            return role == Role.CLINIC_ADMIN || role == Role.COMPLIANCE_OFFICER ? 200 : 403;
        }
        if (endpoint.me()) {
            // the client themselves, whatever clinic: a token of another organisation does not find them
            if (role != Role.CLIENT) {
                return 403;
            }
            return where == Callers.OTHER_ORGANISATION ? 404 : endpoint.success;
        }
        if (endpoint == Endpoint.REQUEST_ERASURE || endpoint == Endpoint.WITHDRAW_ERASURE_REQUEST) {
            // clinic administrators of the client's clinic, and nobody else (DESIGN §6b)
            if (role != Role.CLINIC_ADMIN) {
                return 403;
            }
            return where == Callers.OTHER_ORGANISATION ? 404 : where == Callers.OWN_CLINIC ? 201 : 403;
        }
        if (endpoint == Endpoint.APPROVE_ERASURE) {
            // a compliance officer of the client's organisation, who did not request it
            if (where == Callers.OTHER_ORGANISATION) {
                return 404;
            }
            return role == Role.COMPLIANCE_OFFICER ? 201 : 403;
        }
        if (endpoint == Endpoint.REGISTER) {
            return writer && where == Callers.OWN_CLINIC ? 201 : 403;
        }
        if (where == Callers.OTHER_ORGANISATION) {
            return 404;
        }
        if (endpoint.read && role == Role.COMPLIANCE_OFFICER) {
            return 200;
        }
        return writer && where == Callers.OWN_CLINIC ? endpoint.success : 403;
    }

    /** A caller's token; a client's names the matrix's client, as its {@code client} claim. */
    private static String token(Callers where, Role role) {
        return role != Role.CLIENT ? where.token(role)
                : TestIssuer.shared().minter().mintClient("client@" + where.name().toLowerCase(), where.organisation(),
                                                          clientId, java.time.Duration.ofHours(1));
    }

    /** Every endpoint × every staff role, for a member whose membership ended: their token is still valid. */
    static Stream<Arguments> ended() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (Role role : Role.values()) {
                if (role != Role.CLIENT) {
                    cases.add(Arguments.of(endpoint, role));
                }
            }
        }
        return cases.stream();
    }

    /**
     * The directory decides, not the token: a member of staff of each role whose membership (at the client's own clinic
     * for a clinic's role) was ended in the directory is refused at every endpoint, {@code 403 membership-ended},
     * whatever their still valid token claims — where the same token reached the client's record before the end.
     */
    @ParameterizedTest(name = "{1} whose membership ended: {0}")
    @MethodSource("ended")
    void aMemberWhoseMembershipEndedReachesNoEndpoint(Endpoint endpoint, Role role) {
        Http to = endpoint.console() ? Suite.audit() : Suite.gateway();
        Http.Response response = endpoint.call(to.withToken(endedMember(role)), false);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(403);
        if (!endpoint.console()) {
            assertThat(response.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:membership-ended");
        }
        assertThat(response.raw().body()).doesNotContain("Robin", "Ashdown", "occiput");
    }

    private static final java.util.Map<Role, String> ENDED = new java.util.concurrent.ConcurrentHashMap<>();

    /** A token of a member of {@code role} whose membership was granted, used, and ended (once per role). */
    private static String endedMember(Role role) {
        return ENDED.computeIfAbsent(role, r -> {
            boolean atClinic = r == Role.PRACTITIONER || r == Role.CLINIC_ADMIN;
            String subject = "ended-" + r.name().toLowerCase().replace('_', '-') + "@" + Callers.ORGANISATION;
            String token = TestIssuer.shared().token(subject, Callers.ORGANISATION,
                                                     atClinic ? List.of(Callers.CLINIC) : List.of(), List.of(r.name()));
            Http admin = Suite.gateway().withToken(TestIssuer.shared().token(
                    Suite.ADMIN, Callers.ORGANISATION, List.of(), List.of("ORGANISATION_ADMIN")));
            Http.Response granted = admin.post("/api/directory/memberships", atClinic
                    ? "{\"subject\":\"%s\",\"clinicId\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, Callers.CLINIC, r)
                    : "{\"subject\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, r));
            assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
            if (atClinic || r == Role.COMPLIANCE_OFFICER) {
                // while the membership holds, the token reaches the client's record
                Http.Response before = Suite.gateway().withToken(token).get("/api/clients/" + clientId);
                assertThat(before.status()).as(before.raw().body()).isEqualTo(200);
            }
            Http.Response ended = admin.post("/api/directory/memberships/" + granted.body().get("membershipId").asString()
                                                     + "/end", "{}");
            assertThat(ended.status()).as(ended.raw().body()).isEqualTo(200);
            return token;
        });
    }

    @ParameterizedTest(name = "{1} at {2}: {0}")
    @MethodSource("matrix")
    void onlyTheAllowedCallsSucceed(Endpoint endpoint, Role role, Callers where) {
        int expected = expected(endpoint, role, where);
        Http to = endpoint.console() ? Suite.audit() : Suite.gateway();
        Http.Response response = endpoint.call(to.withToken(token(where, role)), expected < 300);

        assertThat(response.status()).as(response.raw().body()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.body().get("type").asString()).startsWith("urn:stillpoint:problem:");
            assertThat(response.raw().body()).doesNotContain("Robin", "Ashdown", "occiput");
        }
        if (endpoint == Endpoint.OPEN_REFERRALS && expected == 200) {
            List<String> listed = response.body().get("referrals").values().stream()
                                          .map(r -> r.get("clientId").asString()).toList();
            boolean visible = where == Callers.OWN_CLINIC
                    || where == Callers.OTHER_CLINIC && role == Role.COMPLIANCE_OFFICER;
            if (visible) {
                assertThat(listed).contains(clientId);
            } else {
                assertThat(listed).doesNotContain(clientId);
            }
        }
        if (endpoint == Endpoint.AUDIT_CONSOLE_SEARCH && expected == 200) {
            boolean visible = where == Callers.OWN_CLINIC
                    || where == Callers.OTHER_CLINIC && role == Role.COMPLIANCE_OFFICER;
            if (visible) {
                assertThat(response.raw().body()).contains("/console/clients/" + clientId);
            } else {
                // the search box shows what was asked; no result links to the client
                assertThat(response.raw().body()).doesNotContain("/console/clients/" + clientId);
            }
        }
        if (endpoint == Endpoint.LEDGER_VERIFICATION && expected == 200) {
            // each organisation's own chain: another organisation's officer learns nothing of the client's
            JsonNode report = response.body();
            assertThat(report.get("organisationId").asString()).isEqualTo(where.organisation());
            assertThat(report.get("entries").asLong()).isPositive();
            assertThat(response.raw().body()).doesNotContain(clientId);
        }
        if (endpoint == Endpoint.CLIENT && expected == 200) {
            JsonNode client = response.body();
            assertThat(client.get("clientId").asString()).isEqualTo(clientId);
        }
    }
}
