package org.stillpoint.consent.it;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.TestIssuer;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A create retried with the same {@code Idempotency-Key} gets what a retry needs of the first answer (its status,
 * {@code Location} and ids) and records nothing more; the same key with another body is refused; keys belong to their
 * issuer, organisation, subject, method, path and query; a replay passes the access check a first request does; what is
 * kept holds no personal data, expires, and goes with an erased client.
 */
class IdempotencyIT extends OnBackends {

    private static final String CLIENT = """
            {"clinicId":"harbour-street","givenName":"Robin","familyName":"Ashdown","dateOfBirth":"1984-03-02"}
            """;

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswersIdsAndRecordsNothingMore() {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        String key = UUID.randomUUID().toString();
        Http.Response first = http.post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        long events = database.getCollection("events").countDocuments();

        Http.Response again = http.post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.body().get("clientId").asString()).isEqualTo(first.body().get("clientId").asString());
        assertThat(database.getCollection("events").countDocuments()).isEqualTo(events);

        Http.Response otherBody = http.post("/api/clients", CLIENT.replace("Robin", "Robyn"), "Idempotency-Key", key);
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.header("Content-Type")).startsWith("application/problem+json");
        assertThat(otherBody.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:idempotency-key-reused");
        assertThat(otherBody.body().get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(database.getCollection("events").countDocuments()).isEqualTo(events);

        Http.Response anotherCaller = new Http(port).withToken(TestIssuer.shared().clinicAdmin())
                                                    .post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(anotherCaller.status()).isEqualTo(201);
        assertThat(anotherCaller.body().get("clientId").asString()).isNotEqualTo(first.body().get("clientId").asString());
    }

    @Test
    void keysBelongToTheOrganisationAndTheWholeRequestLine() {
        String key = UUID.randomUUID().toString();
        Http stillwater = new Http(port).withToken(TestIssuer.shared().token("same-subject", TestIssuer.ORGANISATION,
                List.of(TestIssuer.CLINIC), List.of("PRACTITIONER")));
        Http riverside = new Http(port).withToken(TestIssuer.shared().token("same-subject", "riverside",
                List.of(TestIssuer.CLINIC), List.of("PRACTITIONER")));
        Http.Response first = stillwater.post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(201);
        Http.Response elsewhere = riverside.post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(elsewhere.status()).isEqualTo(201);
        assertThat(elsewhere.header("Idempotent-Replayed")).as("another organisation's key").isNull();
        assertThat(elsewhere.body().get("clientId").asString()).isNotEqualTo(first.body().get("clientId").asString());

        Http.Response otherQuery = stillwater.post("/api/clients?source=paper", CLIENT, "Idempotency-Key", key);
        assertThat(otherQuery.header("Idempotent-Replayed")).as("another query is another request").isNull();
    }

    @Test
    void whatIsKeptHoldsIdsOnlyAndExpires() {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        String key = UUID.randomUUID().toString();
        assertThat(http.post("/api/clients", CLIENT, "Idempotency-Key", key).status()).isEqualTo(201);
        for (Document kept : database.getCollection("idempotency_keys").find()) {
            assertThat(kept.toJson()).doesNotContain("Robin", "Ashdown", "1984-03-02");
            assertThat(kept.keySet()).doesNotContain("body");
        }
        assertThat(database.getCollection("idempotency_keys").listIndexes().map(i -> i.getString("name")).into(
                new java.util.ArrayList<>())).contains("expiry");
    }

    @Test
    void aReplayPassesTheAccessCheckAndAnErasedClientsKeysAreGone() {
        Http practitioner = new Http(port).withToken(TestIssuer.shared().practitioner());
        ConsentApi consent = new ConsentApi(practitioner);
        String client = consent.register(TestIssuer.CLINIC);
        String key = UUID.randomUUID().toString();
        String grant = """
                {"scopes":["CRANIOSACRAL_THERAPY"],"method":"WRITTEN","boundaries":"Not the left shoulder",
                 "form":{"formId":"cst","version":"1","textSha256":"%s"}}""".formatted("ab".repeat(32));
        String path = "/api/clients/" + client + "/consents";
        Http.Response granted = practitioner.post(path, grant, "Idempotency-Key", key);
        assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
        Http.Response replayed = practitioner.post(path, grant, "Idempotency-Key", key);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.raw().body()).doesNotContain("left shoulder");

        String admin = TestIssuer.shared().clinicAdmin();
        Http.Response requested = new Http(port).withToken(admin).post("/api/clients/" + client + "/erasure-requests",
                "{\"legalBasis\":\"GDPR Art. 17(1)(b)\",\"reason\":\"asked\"}");
        assertThat(requested.status()).as(requested.raw().body()).isEqualTo(201);
        Http.Response erased = new Http(port).withToken(TestIssuer.shared().complianceOfficer()).post(
                "/api/clients/" + client + "/erasure-requests/" + requested.body().get("requestId").asString()
                        + "/approval", "{\"justification\":\"checked\",\"legalOverride\":\"Court order ref. 2026/114\"}");
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(201);

        // replayed before the erasure reached the keys (410, the record is gone) or run again after (409, no write for an
        // erased client): either way the client's erasure, never the kept answer
        Http.Response afterErasure = practitioner.post(path, grant, "Idempotency-Key", key);
        assertThat(afterErasure.status()).as(afterErasure.raw().body()).isIn(409, 410);
        assertThat(afterErasure.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:client-erased");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(database.getCollection("idempotency_keys")
                .countDocuments(Filters.eq("clientId", client))).as("the client's keys deleted").isZero());
    }

    @Test
    void aReplayIsRefusedToACallerWhoNoLongerMayActOnTheClient() {
        String key = UUID.randomUUID().toString();
        Http atHarbour = new Http(port).withToken(TestIssuer.shared().token("moving-practitioner", TestIssuer.ORGANISATION,
                List.of(TestIssuer.CLINIC), List.of("PRACTITIONER")));
        Http.Response first = atHarbour.post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(201);
        Http atMill = new Http(port).withToken(TestIssuer.shared().token("moving-practitioner", TestIssuer.ORGANISATION,
                List.of("mill-lane"), List.of("PRACTITIONER")));
        RefusalCheck.problem(atMill.post("/api/clients", CLIENT, "Idempotency-Key", key), 403,
                             "client-of-another-clinic");
    }

    @Test
    void aFailedRequestKeepsNothingAndABadKeyIsRefused() {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        String key = UUID.randomUUID().toString();
        Http.Response refused = http.post("/api/clients", CLIENT.replace("harbour-street", "mill-lane"),
                                          "Idempotency-Key", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(database.getCollection("idempotency_keys").countDocuments(Filters.eq("state", "RUNNING"))).isZero();
        Http.Response retried = http.post("/api/clients", CLIENT.replace("harbour-street", "mill-lane"),
                                          "Idempotency-Key", key);
        assertThat(retried.status()).as("run again, not replayed").isEqualTo(403);
        assertThat(retried.header("Idempotent-Replayed")).isNull();

        for (String bad : List.of("x".repeat(201), "with space")) {
            Http.Response invalid = http.post("/api/clients", CLIENT, "Idempotency-Key", bad);
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:invalid-idempotency-key");
        }
    }
}
