package org.stillpoint.consent.it;

import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A create retried with the same {@code Idempotency-Key} gets the first answer and records nothing more; the same key
 * with another body is refused; keys belong to their caller.
 */
class IdempotencyIT extends OnBackends {

    private static final String CLIENT = """
            {"clinicId":"harbour-street","givenName":"Robin","familyName":"Ashdown","dateOfBirth":"1984-03-02"}
            """;

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndRecordsNothingMore() {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        String key = UUID.randomUUID().toString();
        Http.Response first = http.post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        long events = database.getCollection("events").countDocuments();

        Http.Response again = http.post("/api/clients", CLIENT, "Idempotency-Key", key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.raw().body()).isEqualTo(first.raw().body());
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
