package org.stillpoint.session.it;

import org.junit.jupiter.api.Test;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client moves between clinics of their organisation with one id and one history, and lets another clinic read their
 * record by a consent of their own: consent-service records both, session-service — through its view of the consent
 * topic only — lets the new clinic record care under the consents carried over and no other, turns the old clinic
 * away, and lets a clinic the client shares with read, never write, until the client withdraws it.
 */
class ClinicTransferIT extends OnBackends {

    private static final String HARBOUR = TestIssuer.CLINIC;
    private static final String MILL = "mill-lane";

    private static Http as(Http http, String subject, String clinic, String role) {
        return http.withToken(TestIssuer.shared().token(subject, TestIssuer.ORGANISATION, List.of(clinic), List.of(role)));
    }

    @Test
    void aClientMovesWithOneHistoryAndOnlyTheConsentsCarriedOverCoverTheNewClinic() {
        Http consent = ServiceBeside.of(ConsentServiceApplication.class);
        Http sessions = new Http(port);
        ConsentApi consents = ConsentApi.beside(ConsentServiceApplication.class);
        String clientId = consents.register(HARBOUR);
        String[] cst = consents.grant(clientId, "[\"CRANIOSACRAL_THERAPY\"]", Duration.ofDays(3));
        String[] ser = consents.grant(clientId, "[\"SOMATOEMOTIONAL_RELEASE\"]", Duration.ofDays(3));
        String transfers = "/api/clients/" + clientId + "/transfers";
        Http harbourAdmin = as(consent, "cam-clinic-admin", HARBOUR, "CLINIC_ADMIN");

        // refusals: nothing is written by any of them
        RefusalCheck.problem(as(consent, "pat-practitioner", HARBOUR, "PRACTITIONER").post(transfers,
                "{\"toClinicId\":\"mill-lane\",\"reason\":\"moved house\"}"), 403, "role-not-allowed");
        RefusalCheck.problem(as(consent, "quinn", "quay", "CLINIC_ADMIN").post(transfers,
                "{\"toClinicId\":\"mill-lane\",\"reason\":\"moved house\"}"), 403, "client-of-another-clinic");
        assertThat(RefusalCheck.problem(harbourAdmin.post(transfers, "{\"toClinicId\":\"harbour-street\",\"reason\":\"x\"}"),
                                        422, "same-clinic").get("field").asString()).isEqualTo("toClinicId");
        assertThat(RefusalCheck.problem(harbourAdmin.post(transfers, "{\"toClinicId\":\"mill-lane\",\"reason\":\"x\","
                + "\"carriedOver\":[\"00000000-0000-4000-8000-000000000000\"]}"), 422, "consent-not-found")
                           .get("field").asString()).isEqualTo("carriedOver[0]");
        assertThat(RefusalCheck.problem(harbourAdmin.post(transfers, "{\"toClinicId\":\"mill-lane\"}"), 400,
                                        "invalid-request").toString()).contains("reason");

        // the move, by a clinic admin of the clinic the client leaves, carrying the craniosacral consent only
        Http.Response moved = harbourAdmin.post(transfers, """
                {"toClinicId":"mill-lane","reason":"moved house","carriedOver":["%s"]}""".formatted(cst[0]));
        assertThat(moved.status()).as(moved.raw().body()).isEqualTo(201);
        assertThat(moved.body().get("toClinicId").asString()).isEqualTo(MILL);
        String sequence = moved.body().get("sequence").asString();

        Http millPractitioner = as(consent, "mo", MILL, "PRACTITIONER");
        JsonNode after = millPractitioner.get("/api/clients/" + clientId + "/consents").body();
        assertThat(after.get("clientId").asString()).isEqualTo(clientId);
        assertThat(after.get("transfers").get(0).get("carriedOver").values().stream().map(JsonNode::asString).toList())
                .containsExactly(cst[0]);
        JsonNode carried = after.get("consents").values().stream()
                                .filter(c -> c.get("consentId").asString().equals(cst[0])).findFirst().orElseThrow();
        assertThat(carried.get("clinicIds").values().stream().map(JsonNode::asString).toList())
                .containsExactly(HARBOUR, MILL);
        // the clinic the client left no longer reaches them
        RefusalCheck.problem(as(consent, "pat-practitioner", HARBOUR, "PRACTITIONER").get("/api/clients/" + clientId),
                             403, "client-of-another-clinic");

        // at the new clinic: care under the consent carried over, and not under the one left behind
        Http millSessions = as(sessions, "mo", MILL, "PRACTITIONER");
        // a moment after the move (the consent covers Mill Lane from the transfer on), to the second
        Instant now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        await().until(() -> Instant.now().isAfter(now));
        Http.Response session = record(millSessions, clientId, now, "[\"CRANIOSACRAL_THERAPY\"]", sequence);
        assertThat(session.status()).as(session.raw().body()).isEqualTo(201);
        assertThat(session.body().get("consents").get(0).get("consentId").asString()).isEqualTo(cst[0]);
        Http.Response uncovered = record(millSessions, clientId, now, "[\"SOMATOEMOTIONAL_RELEASE\"]", sequence);
        assertThat(uncovered.status()).as(uncovered.raw().body()).isEqualTo(409);
        assertThat(uncovered.body().get("missingScopes").get(0).asString()).isEqualTo("SOMATOEMOTIONAL_RELEASE");
        assertThat(ser[0]).isNotEqualTo(cst[0]);
        // the old clinic cannot record there any more
        RefusalCheck.problem(record(as(sessions, "pat-practitioner", HARBOUR, "PRACTITIONER"), clientId, now,
                                    "[\"CRANIOSACRAL_THERAPY\"]", sequence), 403, "client-of-another-clinic");

        // the client shares their record with the clinic they left: it reads, never writes, until withdrawn
        Http.Response refusedMix = millPractitioner.post("/api/clients/" + clientId + "/consents", grant(
                "[\"CLINIC_SHARING\",\"CRANIOSACRAL_THERAPY\"]", HARBOUR));
        assertThat(RefusalCheck.problem(refusedMix, 422, "sharing-alone").get("field").asString()).isEqualTo("scopes");
        RefusalCheck.problem(millPractitioner.post("/api/clients/" + clientId + "/consents",
                                                   grant("[\"CLINIC_SHARING\"]", MILL)), 422, "sharing-with-own-clinic");
        Http.Response shared = millPractitioner.post("/api/clients/" + clientId + "/consents",
                                                     grant("[\"CLINIC_SHARING\"]", HARBOUR));
        assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
        String sharing = shared.body().get("consentId").asString();
        Http harbourSessions = as(sessions, "pat-practitioner", HARBOUR, "PRACTITIONER");
        await().atMost(Duration.ofSeconds(10)).until(
                () -> harbourSessions.get("/api/clients/" + clientId + "/sessions").status() == 200);
        assertThat(as(consent, "pat-practitioner", HARBOUR, "PRACTITIONER").get("/api/clients/" + clientId).status())
                .isEqualTo(200);
        RefusalCheck.problem(record(harbourSessions, clientId, now, "[\"CRANIOSACRAL_THERAPY\"]",
                                    shared.body().get("sequence").asString()), 403, "client-of-another-clinic");

        // the client withdraws it themselves: the other clinic is turned away again
        Http client = consent.withToken(TestIssuer.shared().minter().mintClient(
                "robin", TestIssuer.ORGANISATION, clientId, Duration.ofHours(1)));
        Http.Response withdrawn = client.post("/api/me/consents/" + sharing + "/withdrawals",
                                              "{\"scopes\":[\"CLINIC_SHARING\"]}");
        assertThat(withdrawn.status()).as(withdrawn.raw().body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> harbourSessions.get("/api/clients/" + clientId + "/sessions").status() == 403);
        JsonNode own = client.get("/api/me/consents").body();
        assertThat(own.get("transfers").get(0).get("toClinicId").asString()).isEqualTo(MILL);
    }

    private static String grant(String scopes, String clinic) {
        return """
                {"scopes":%s,"clinicId":"%s","method":"WRITTEN",
                 "form":{"formId":"clinic-sharing","version":"2026-12","textSha256":"%s"}}
                """.formatted(scopes, clinic, "cd".repeat(32));
    }

    private static Http.Response record(Http http, String clientId, Instant startedAt, String modalities,
                                        String consentSequence) {
        return http.post("/api/clients/" + clientId + "/sessions", """
                {"clinicId":"mill-lane","startedAt":"%s","durationMinutes":60,"modalities":%s,
                 "notes":{"observations":"Settled"},"consentSequence":%s}
                """.formatted(startedAt, modalities, consentSequence));
    }
}
