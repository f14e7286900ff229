package org.stillpoint.referral.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sharing consent granted through consent-service allows a referral, withdrawing it blocks the next, and an emergency
 * referral goes through flagged for review — consent reaching referral-service only through the consent topic.
 */
class ReferralFlowIT extends OnBackends {

    @Test
    void sharingConsentGatesReferralsAndEmergenciesGoOutFlagged() {
        Http referrals = new Http(port).withToken(TestIssuer.shared().practitioner());
        ConsentApi consent = ConsentApi.beside(ConsentServiceApplication.class);
        String clientId = consent.register("harbour-street");
        String[] granted = consent.grant(clientId, "[\"CRANIOSACRAL_THERAPY\",\"INFORMATION_SHARING\"]",
                                                   Duration.ofDays(2));

        Http.Response first = issue(referrals, clientId, "URGENT", null, granted[1]);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(first.body().get("reviewRequired").asBoolean()).isFalse();
        assertThat(first.body().get("consents").get(0).get("consentId").asString()).isEqualTo(granted[0]);
        String firstId = first.body().get("referralId").asString();

        long afterWithdrawal = consent.withdraw(clientId, granted[0], "[\"INFORMATION_SHARING\"]");
        Http.Response blocked = issue(referrals, clientId, "URGENT", null, Long.toString(afterWithdrawal));
        assertThat(blocked.status()).as(blocked.raw().body()).isEqualTo(409);
        assertThat(blocked.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:consent-missing");
        assertThat(blocked.body().get("missingScopes").get(0).asString()).isEqualTo("INFORMATION_SHARING");

        Http.Response emergency = issue(referrals, clientId, "EMERGENCY",
                                        "Client disclosed chest pain on exertion; GP must see them today",
                                        Long.toString(afterWithdrawal));
        assertThat(emergency.status()).as(emergency.raw().body()).isEqualTo(201);
        assertThat(emergency.body().get("emergencyOverride").asBoolean()).isTrue();
        assertThat(emergency.body().get("reviewRequired").asBoolean()).isTrue();
        String emergencyId = emergency.body().get("referralId").asString();

        JsonNode detail = referrals.get("/api/clients/" + clientId + "/referrals/" + emergencyId).body();
        assertThat(detail.get("emergencyJustification").asString()).startsWith("Client disclosed chest pain");
        assertThat(detail.get("recipient").get("name").asString()).isEqualTo("Dr. Amara Osei");
        assertThat(detail.get("sharedCategories").values()).extracting(JsonNode::asString)
                                                          .containsExactlyInAnyOrder("DEMOGRAPHICS", "SESSION_SUMMARIES");
        assertThat(detail.get("organisationId").asString()).isEqualTo("stillwater");

        JsonNode open = referrals.withToken(TestIssuer.shared().clinicAdmin()).get("/api/referrals/open?organisationId=stillwater").body().get("referrals");
        List<String> openIds = open.values().stream().map(r -> r.get("referralId").asString()).toList();
        assertThat(openIds).contains(firstId, emergencyId);
        assertThat(openIds.indexOf(emergencyId)).isLessThan(openIds.indexOf(firstId));

        Http.Response acknowledged = status(referrals, clientId, firstId, "ACKNOWLEDGED", "Practice confirmed receipt");
        assertThat(acknowledged.status()).as(acknowledged.raw().body()).isEqualTo(201);
        Http.Response completed = status(referrals, clientId, firstId, "COMPLETED", null);
        assertThat(completed.body().get("history").values()).extracting(h -> h.get("status").asString())
                                                            .containsExactly("ISSUED", "ACKNOWLEDGED", "COMPLETED");
        assertThat(completed.body().get("history").get(1).get("note").asString()).isEqualTo("Practice confirmed receipt");
        assertThat(referrals.withToken(TestIssuer.shared().clinicAdmin()).get("/api/referrals/open?organisationId=stillwater").body().get("referrals").values())
                .extracting(r -> r.get("referralId").asString()).doesNotContain(firstId);

        Http.Response illegal = status(referrals, clientId, firstId, "CANCELLED", null);
        assertThat(illegal.status()).isEqualTo(409);
        assertThat(illegal.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:illegal-transition");

        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.referral.v1")) {
            List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(30))
                                                                  .until(() -> topic.keyed(clientId), r -> r.size() == 4);
            assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))
                               .containsExactly("stillpoint.referral.issued.v2", "stillpoint.referral.issued.v2",
                                                "stillpoint.referral.status-changed.v1",
                                                "stillpoint.referral.status-changed.v1");
            assertThat(records).allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .doesNotContain("chest pain", "Practice confirmed", "a.osei@example.org"));
        }
    }

    /**
     * Each organisation's topic carries its own clients' records only, and, during the deprecation period, each
     * referral issued twice: as revision 2 and, for consumers written for revision 1, as revision 1 without the
     * contact — the same event, so the same {@code ce_id} and sequence.
     */
    @Test
    void eachOrganisationsTopicCarriesItsOwnRecordsWithRevision1BesideRevision2() {
        String elsewhere = TestIssuer.shared().token("practitioner-harmony", "harmony-health", List.of("quay-side"),
                                                     List.of("PRACTITIONER"));
        ConsentApi ours = ConsentApi.beside(ConsentServiceApplication.class);
        ConsentApi theirs = new ConsentApi(ours.http().withToken(elsewhere));
        String ourClient = ours.register("harbour-street");
        String[] ourConsent = ours.grant(ourClient, "[\"INFORMATION_SHARING\"]", Instant.now().minus(Duration.ofDays(1)).toString());
        String theirClient = theirs.register("harmony-health", "quay-side");
        String[] theirConsent = theirs.grant(theirClient, "[\"INFORMATION_SHARING\"]", Instant.now().minus(Duration.ofDays(1)).toString());
        Http referrals = new Http(port);
        assertThat(issue(referrals.withToken(TestIssuer.shared().practitioner()), ourClient, "ROUTINE", null,
                         ourConsent[1]).status()).isEqualTo(201);
        Http.Response theirReferral = referrals.withToken(elsewhere).post("/api/clients/" + theirClient + "/referrals", """
                {"clinicId":"quay-side","urgency":"ROUTINE","reason":"Jaw pain: dental review",
                 "recipient":{"kind":"MEDICAL","name":"Dr. Quay","contact":{"phone":"+44 20 7946 0000"}},
                 "sharedCategories":["DEMOGRAPHICS"],"consentSequence":%s}
                """.formatted(theirConsent[1]));
        assertThat(theirReferral.status()).as(theirReferral.raw().body()).isEqualTo(201);

        String kafka = Backends.shared().kafkaBootstrapServers();
        try (TopicReader stillwater = new TopicReader(kafka, "stillpoint.referral.v1.stillwater");
             TopicReader harmony = new TopicReader(kafka, "stillpoint.referral.v1.harmony-health");
             TopicReader stillwaterConsent = new TopicReader(kafka, "stillpoint.consent.v1.stillwater")) {
            List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(30))
                                                                  .until(() -> stillwater.keyed(ourClient), r -> r.size() == 2);
            assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))
                               .containsExactly("stillpoint.referral.issued.v2", "stillpoint.referral.issued.v1");
            assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID)).doesNotContainNull()
                               .containsOnly(CloudEventHeaders.text(records.get(0).headers(), CloudEventHeaders.ID));
            assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.SEQUENCE))
                               .containsOnly("0");
            // what a consumer written for revision 1 reads: the recipient, no contact
            JsonNode revision1 = tools.jackson.databind.json.JsonMapper.builder().build().readTree(records.get(1).value());
            assertThat(revision1.get("recipient").get("name").asString()).isEqualTo("Dr. Amara Osei");
            assertThat(revision1.get("recipient").get("contact").get("email").isNull()).isTrue();
            assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8)).doesNotContain("a.osei@example.org");

            await().atMost(Duration.ofSeconds(30)).until(() -> harmony.keyed(theirClient), r -> r.size() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> stillwaterConsent.keyed(ourClient), r -> r.size() == 2);
            assertThat(harmony.keyed(ourClient)).isEmpty();
            assertThat(stillwater.keyed(theirClient)).isEmpty();
            assertThat(stillwaterConsent.keyed(theirClient)).isEmpty();
            assertThat(stillwater.poll()).allSatisfy(r -> assertThat(r.topic()).isEqualTo("stillpoint.referral.v1.stillwater"));
        }
        // the service topic carries every organisation, revision 2 only
        try (TopicReader topic = new TopicReader(kafka, "stillpoint.referral.v1")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> topic.keyed(theirClient), r -> r.size() == 1);
            assertThat(topic.keyed(ourClient)).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))
                                              .containsExactly("stillpoint.referral.issued.v2");
        }
    }

    static Http.Response issue(Http http, String clientId, String urgency, String justification, String sequence) {
        return http.post("/api/clients/" + clientId + "/referrals", """
                {"clinicId":"harbour-street","urgency":"%s","reason":"Persistent headaches: medical review",
                 "recipient":{"kind":"MEDICAL","name":"Dr. Amara Osei","organisation":"Harbour Medical Practice",
                              "contact":{"email":"a.osei@example.org"}},
                 "sharedCategories":["DEMOGRAPHICS","SESSION_SUMMARIES"],
                 "emergencyJustification":%s,"consentSequence":%s}
                """.formatted(urgency, justification == null ? "null" : "\"" + justification + "\"", sequence));
    }

    private static Http.Response status(Http http, String clientId, String referralId, String status, String note) {
        return http.post("/api/clients/" + clientId + "/referrals/" + referralId + "/status",
                         "{\"status\":\"" + status + "\",\"note\":" + (note == null ? "null" : "\"" + note + "\"") + "}");
    }
}
