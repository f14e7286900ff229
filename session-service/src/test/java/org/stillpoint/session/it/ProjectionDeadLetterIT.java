package org.stillpoint.session.it;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A projection handler that fails for one client parks that client's event in the projection's dead-letter queue (in
 * MongoDB, the client id as the sequence): the write is answered {@code 202} (stored, not shown), reads of that client
 * answer {@code 503 client-record-held}, its later events queue behind, every other client flows; automatic retries are
 * bounded; an operator's retry after the cause is removed applies them all, in order.
 */
class ProjectionDeadLetterIT extends OnBackends {

    @Test
    void aProjectionThatFailsForOneClientParksOnlyThatClient() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http operator = new Http(port).withToken(TestIssuer.shared().operator());
        String since = Instant.now().minus(Duration.ofDays(3)).toString();
        String held = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String heldSequence = ConsentApi.beside(ConsentServiceApplication.class).grant(held, "[\"CRANIOSACRAL_THERAPY\"]", since)[1];
        String other = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String otherSequence = ConsentApi.beside(ConsentServiceApplication.class).grant(other, "[\"CRANIOSACRAL_THERAPY\"]", since)[1];
        Http.Response recorded = record(sessions, held, heldSequence);
        assertThat(recorded.status()).as(recorded.raw().body()).isEqualTo(201);
        String session = "/api/clients/" + held + "/sessions/" + recorded.body().get("sessionId").asString();

        // the client's session document is damaged: the projection cannot apply the signature
        Document original = database.getCollection("client_sessions")
                                    .find(Filters.eq("_id", recorded.body().get("sessionId").asString())).first();
        database.getCollection("client_sessions").updateOne(Filters.eq("_id", original.get("_id")),
                                                            Updates.set("lastSequence", "damaged"));
        Http.Response signed = sessions.post(session + "/signature", "");
        assertThat(signed.status()).as(signed.raw().body()).isEqualTo(202);
        assertThat(signed.header("Location")).endsWith(session);
        assertThat(signed.body().get("held").asBoolean()).isTrue();
        Http.Response amended = sessions.post(session + "/amendments",
                                              "{\"section\":\"observations\",\"text\":\"Also the sacrum\",\"reason\":\"Omitted\"}");
        assertThat(amended.status()).as("queued behind the parked event").isEqualTo(202);

        Http.Response read = sessions.get(session);
        assertThat(read.status()).isEqualTo(503);
        assertThat(read.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:client-record-held");
        Http.Response otherSession = record(sessions, other, otherSequence);
        assertThat(otherSession.status()).as(otherSession.raw().body()).isEqualTo(201);
        assertThat(sessions.get("/api/clients/" + other + "/sessions").status()).isEqualTo(200);

        // bounded automatic retries, then it waits for an operator
        List<JsonNode> letters = await().atMost(Duration.ofSeconds(30)).until(() -> projectionLetters(operator),
                l -> l.size() == 2 && l.getFirst().get("attempts").asInt() == 4);
        assertThat(letters.getFirst().get("clientId").asString()).isEqualTo(held);
        assertThat(letters.getFirst().get("type").asString()).isEqualTo("stillpoint.session.note-signed.v1");
        assertThat(letters.getFirst().get("queued").asBoolean()).isFalse();
        assertThat(letters.get(1).get("type").asString()).isEqualTo("stillpoint.session.note-amended.v1");
        assertThat(letters.get(1).get("queued").asBoolean()).isTrue();
        assertThat(new Http(port).withToken(TestIssuer.shared().operator()).get("/actuator/health").body().get("components").get("processors").get("status")
                                 .asString()).isEqualTo("DEGRADED");

        database.getCollection("client_sessions").replaceOne(Filters.eq("_id", original.get("_id")), original);
        Http.Response retried = operator.post("/api/operations/dead-letters/projections/"
                                                      + letters.getFirst().get("id").asString() + "/retry", "");
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
        assertThat(retried.body().get("applied").asBoolean()).isTrue();
        assertThat(projectionLetters(operator)).isEmpty();
        JsonNode after = sessions.get(session).body();
        assertThat(after.get("status").asString()).isEqualTo("SIGNED");
        assertThat(after.get("amendments").get(0).get("text").asString()).isEqualTo("Also the sacrum");
        assertThat(new Http(port).withToken(TestIssuer.shared().operator()).get("/actuator/health").body().get("components").get("processors").get("status")
                                 .asString()).isEqualTo("UP");
    }

    private static List<JsonNode> projectionLetters(Http operator) {
        Http.Response response = operator.get("/api/operations/dead-letters/projections");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.body().values().stream().toList();
    }

    private static Http.Response record(Http http, String clientId, String consentSequence) {
        return http.post("/api/clients/" + clientId + "/sessions", """
                {"startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":60,"modalities":["CRANIOSACRAL_THERAPY"],
                 "notes":{"observations":"Restriction at the occiput"},"consentSequence":%s}
                """.formatted(Instant.now().minus(Duration.ofHours(1)), consentSequence));
    }
}
