package org.stillpoint.gateway.it;

import org.stillpoint.security.Role;
import org.stillpoint.testsupport.Http;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Records what the gateway tests act on, through the gateway, as the owning practitioner. */
final class Fixtures {

    static final String NOTE = """
            {"clientReported":"Headaches since the move","observations":"Restriction at the occiput",
             "techniques":"CV4, still point","clientResponse":"Deep settling"}
            """;

    private final Http gateway;
    private final Http owner;

    Fixtures(Http gateway) {
        this.gateway = gateway;
        this.owner = gateway.withToken(Callers.owner());
    }

    /** A client of the owner's clinic with consent to everything; answers [clientId, consentId, consentSequence]. */
    String[] client() {
        Http.Response client = created(owner.post("/api/clients", """
                {"clinicId":"harbour-street","givenName":"Robin","familyName":"Ashdown","dateOfBirth":"1984-03-02"}
                """));
        String clientId = client.body().get("clientId").asString();
        Http.Response consent = created(owner.post("/api/clients/" + clientId + "/consents", grant()));
        return new String[]{clientId, consent.body().get("consentId").asString(), consent.body().get("sequence").asString()};
    }

    static String grant() {
        return """
                {"scopes":["CRANIOSACRAL_THERAPY","SOMATOEMOTIONAL_RELEASE","VERBAL_PROCESSING","INFORMATION_SHARING"],
                 "method":"WRITTEN","grantedAt":"%s","lateEntryReason":"entered from the signed paper form",
                 "form":{"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}}
                """.formatted(Instant.now().minus(Duration.ofDays(10)), "ab".repeat(32));
    }

    /** A pending erasure request for {@code clientId}, by a clinic admin of the owner's clinic; answers its id. */
    String erasureRequest(String clientId) {
        return created(gateway.withToken(Callers.OWN_CLINIC.token(Role.CLINIC_ADMIN)).post(
                "/api/clients/" + clientId + "/erasure-requests", ERASURE_REQUEST)).body().get("requestId").asString();
    }

    static final String ERASURE_REQUEST = "{\"legalBasis\":\"GDPR Art. 17(1)(b)\",\"reason\":\"Asked in writing\"}";
    static final String ERASURE_APPROVAL = "{\"justification\":\"Identity checked\",\"legalOverride\":\"Court order ref. 2026/114\"}";

    String consent(String clientId) {
        return created(owner.post("/api/clients/" + clientId + "/consents", grant())).body().get("consentId").asString();
    }

    static String sessionBody(String sequence, String notes) {
        return """
                {"startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":60,"modalities":["CRANIOSACRAL_THERAPY"],"notes":%s,
                 "consentSequence":%s}
                """.formatted(Instant.now().minus(Duration.ofHours(1)), notes, sequence);
    }

    String session(String clientId, String sequence) {
        return created(owner.post("/api/clients/" + clientId + "/sessions", sessionBody(sequence, NOTE)))
                .body().get("sessionId").asString();
    }

    String signedSession(String clientId, String sequence) {
        String sessionId = session(clientId, sequence);
        created(owner.post("/api/clients/" + clientId + "/sessions/" + sessionId + "/signature", ""));
        return sessionId;
    }

    static String referralBody(String sequence) {
        return """
                {"urgency":"URGENT","reason":"Persistent headaches: medical review",
                 "recipient":{"kind":"MEDICAL","name":"Dr. Amara Osei","organisation":"Harbour Medical Practice",
                              "contact":{"email":"a.osei@example.org"}},
                 "sharedCategories":["DEMOGRAPHICS","SESSION_SUMMARIES"],"consentSequence":%s}
                """.formatted(sequence);
    }

    String referral(String clientId, String sequence) {
        return created(owner.post("/api/clients/" + clientId + "/referrals", referralBody(sequence)))
                .body().get("referralId").asString();
    }

    /** Waits until audit-service has read the client's registration (and so can place them). */
    void awaitAudit(String clientId) {
        Http officer = gateway.withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(officer.get("/api/audit/clients/" + clientId + "/timeline").status()).isEqualTo(200));
    }

    private static Http.Response created(Http.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response;
    }
}
