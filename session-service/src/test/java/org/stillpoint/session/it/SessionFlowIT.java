package org.stillpoint.session.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consent granted through consent-service lets a session through, a withdrawal blocks the next one, and a late entry
 * for the earlier time is still accepted — consent reaching session-service only through the consent topic.
 */
class SessionFlowIT extends OnBackends {

    private static final String NOTE = """
            {"clientReported":"Headaches since the move","observations":"Restriction at the occiput",
             "techniques":"CV4, still point","clientResponse":"Deep settling",
             "pacing":{"pauses":2,"stopSignalUsed":true,"notes":"Paused twice, resumed when ready"},
             "referral":{"recommended":false}}
            """;

    @Test
    void consentGatesSessionsByTheTimeTheyTookPlace() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String clientId = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] granted = ConsentApi.beside(ConsentServiceApplication.class).grant(clientId, "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]",
                                                      now.minus(Duration.ofDays(5)).toString());

        Http.Response first = record(sessions, clientId, now.minus(Duration.ofHours(1)),
                                     "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]", granted[1]);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(first.body().get("lateEntry").asBoolean()).isFalse();
        assertThat(first.body().get("consents").get(0).get("consentId").asString()).isEqualTo(granted[0]);
        assertThat(first.body().get("consents").get(0).get("version").asInt()).isEqualTo(1);

        long afterWithdrawal = ConsentApi.beside(ConsentServiceApplication.class).withdraw(clientId, granted[0], "[\"SOMATOEMOTIONAL_RELEASE\"]");
        Instant afterwards = Instant.now();
        Http.Response blocked = record(sessions, clientId, afterwards,
                                       "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]",
                                       Long.toString(afterWithdrawal));
        assertThat(blocked.status()).as(blocked.raw().body()).isEqualTo(409);
        assertThat(blocked.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:consent-missing");
        assertThat(blocked.body().get("missingScopes").values()).extracting(JsonNode::asString)
                                                               .containsExactly("SOMATOEMOTIONAL_RELEASE");
        assertThat(blocked.body().get("consentViewSequence").asLong()).isEqualTo(afterWithdrawal);

        Http.Response late = record(sessions, clientId, now.minus(Duration.ofDays(2)),
                                    "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]",
                                    Long.toString(afterWithdrawal));
        assertThat(late.status()).as(late.raw().body()).isEqualTo(201);
        assertThat(late.body().get("lateEntry").asBoolean()).isTrue();
        assertThat(Instant.parse(late.body().get("startedAt").asString())).isEqualTo(now.minus(Duration.ofDays(2)));
        assertThat(Instant.parse(late.body().get("recordedAt").asString())).isAfter(now.minus(Duration.ofMinutes(1)));

        Http.Response cstOnly = record(sessions, clientId, afterwards,
                                       "[\"CRANIOSACRAL_THERAPY\"]", Long.toString(afterWithdrawal));
        assertThat(cstOnly.status()).as(cstOnly.raw().body()).isEqualTo(201);
        assertThat(cstOnly.body().get("consents").get(0).get("version").asInt()).isEqualTo(2);

        JsonNode list = sessions.get("/api/clients/" + clientId + "/sessions").body().get("sessions");
        assertThat(list.size()).isEqualTo(3);
        assertThat(list.get(0).get("lateEntry").asBoolean()).isTrue();
        assertThat(list.get(0).get("note").get("observations").asString()).isEqualTo("Restriction at the occiput");

        String storedText = database.getCollection("events").find().into(new ArrayList<Document>()).stream()
                                    .map(Document::toJson).reduce("", String::concat);
        assertThat(storedText).doesNotContain("occiput", "Headaches", "Paused twice");

        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.session.v1")) {
            List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(30))
                                                                  .until(() -> topic.keyed(clientId), r -> r.size() == 3);
            assertThat(records).allSatisfy(r -> {
                assertThat(CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE)).isEqualTo("stillpoint.session.recorded.v1");
                assertThat(CloudEventHeaders.text(r.headers(), CloudEventHeaders.SOURCE)).isEqualTo("/stillpoint/session-service");
                assertThat(CloudEventHeaders.text(r.headers(), CloudEventHeaders.SUBJECT)).isEqualTo(clientId);
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("occiput");
            });
        }
    }

    @Test
    void aNoteIsDraftedSignedAndThenOnlyAmended() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Instant now = Instant.now();
        String clientId = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] granted = ConsentApi.beside(ConsentServiceApplication.class).grant(clientId, "[\"CRANIOSACRAL_THERAPY\"]",
                                                      now.minus(Duration.ofDays(1)).toString());
        Http.Response recorded = record(sessions, clientId, now.minus(Duration.ofHours(1)), "[\"CRANIOSACRAL_THERAPY\"]",
                                        granted[1]);
        assertThat(recorded.status()).as(recorded.raw().body()).isEqualTo(201);
        String session = "/api/clients/" + clientId + "/sessions/" + recorded.body().get("sessionId").asString();

        Http.Response revised = sessions.put(session + "/note", "{\"observations\":\"Restriction at the sacrum\"}");
        assertThat(revised.status()).as(revised.raw().body()).isEqualTo(200);
        assertThat(revised.body().get("note").get("observations").asString()).isEqualTo("Restriction at the sacrum");
        assertThat(revised.body().get("drafts").get(0).get("note").get("observations").asString())
                .isEqualTo("Restriction at the occiput");

        Http.Response signed = sessions.post(session + "/signature", "");
        assertThat(signed.status()).as(signed.raw().body()).isEqualTo(201);
        assertThat(signed.body().get("status").asString()).isEqualTo("SIGNED");

        Http.Response edit = sessions.put(session + "/note", "{\"observations\":\"changed\"}");
        assertThat(edit.status()).isEqualTo(409);
        assertThat(edit.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:note-signed");

        Http.Response amended = sessions.post(session + "/amendments", """
                {"section":"observations","text":"Also a left temporal restriction","reason":"Omitted at signing"}
                """);
        assertThat(amended.status()).as(amended.raw().body()).isEqualTo(201);
        JsonNode after = sessions.get(session).body();
        assertThat(after.get("note").get("observations").asString()).isEqualTo("Restriction at the sacrum");
        assertThat(after.get("amendments").get(0).get("text").asString()).isEqualTo("Also a left temporal restriction");
        assertThat(after.get("amendments").get(0).get("reason").asString()).isEqualTo("Omitted at signing");
        assertThat(after.get("amendments").get(0).get("by").asString()).isEqualTo("pat-practitioner");
    }

    @Test
    void aViewThatCannotCatchUpAnswersRetryLaterAndRecordsNothing() {
        Http sessions = new Http(port).withToken(TestIssuer.shared().practitioner());
        Instant now = Instant.now();
        String clientId = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        ConsentApi.beside(ConsentServiceApplication.class).grant(clientId, "[\"CRANIOSACRAL_THERAPY\"]", now.minus(Duration.ofDays(1)).toString());
        long before = database.getCollection("events").countDocuments();

        Http.Response ahead = record(sessions, clientId, now.minus(Duration.ofHours(1)), "[\"CRANIOSACRAL_THERAPY\"]", "99");
        assertThat(ahead.status()).as(ahead.raw().body()).isEqualTo(503);
        assertThat(ahead.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:consent-view-behind");
        assertThat(ahead.body().get("retryable").asBoolean()).isTrue();
        assertThat(ahead.header("Retry-After")).isEqualTo("1");
        assertThat(database.getCollection("events").countDocuments()).isEqualTo(before);
    }

    private static Http.Response record(Http http, String clientId, Instant startedAt, String modalities,
                                        String consentSequence) {
        return http.post("/api/clients/" + clientId + "/sessions", """
                {"clinicId":"harbour-street","startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":60,
                 "modalities":%s,"notes":%s,"consentSequence":%s}
                """.formatted(startedAt, modalities, NOTE, consentSequence));
    }
}
