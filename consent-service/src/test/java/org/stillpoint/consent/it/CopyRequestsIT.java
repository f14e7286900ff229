package org.stillpoint.consent.it;

import org.junit.jupiter.api.Test;
import org.stillpoint.consent.config.CopyProperties;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request for a copy of the record is a record: asked by the client in their view, or made on paper and recorded by a
 * clinic administrator with the day it was received; due 30 days after it was received; one open at a time; an event
 * on the consent topic for the audit's queue. Whoever may not ask, or asks badly, is refused naming the field.
 */
class CopyRequestsIT extends OnBackends {

    private static final String ADMIN = TestIssuer.shared().clinicAdmin();

    private static String clientToken(String clientId) {
        return TestIssuer.shared().minter().mintClient("client-" + clientId.substring(0, 8), TestIssuer.ORGANISATION,
                                                       clientId, Duration.ofHours(1));
    }

    @Test
    void theClientAsksInTheirViewOnceAndSeesWhenItIsDue() {
        String client = new ConsentApi(new Http(port).withToken(TestIssuer.shared().practitioner()))
                .register(TestIssuer.CLINIC);
        Http me = new Http(port).withToken(clientToken(client));
        Instant before = Instant.now();

        Http.Response asked = me.post("/api/me/copy-requests", "");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        Instant dueBy = Instant.parse(asked.body().get("dueBy").asString());
        assertThat(dueBy).isBetween(before.plus(Duration.ofDays(30)), Instant.now().plus(Duration.ofDays(30)));
        assertThat(asked.raw().headers().firstValue("Location").orElseThrow())
                .contains("/api/me/copy-requests/" + asked.body().get("requestId").asString());

        Http.Response again = me.post("/api/me/copy-requests", "");
        RefusalCheck.problem(again, 409, "copy-request-open");
        assertThat(again.body().get("requestId").asString()).isEqualTo(asked.body().get("requestId").asString());

        Http.Response mine = me.get("/api/me/copy-requests");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().get("requests").values()).singleElement().satisfies(r -> {
            assertThat(r.get("channel").asString()).isEqualTo("CLIENT_VIEW");
            assertThat(r.get("status").asString()).isEqualTo("REQUESTED");
        });
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.consent.v1")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(topic.keyed(client))
                    .extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))
                    .contains("stillpoint.consent.copy-requested.v1"));
        }
    }

    @Test
    void aClinicAdminRecordsARequestMadeOnPaperDueFromTheDayItWasReceived() {
        String client = new ConsentApi(new Http(port).withToken(TestIssuer.shared().practitioner()))
                .register(TestIssuer.CLINIC);
        String path = "/api/clients/" + client + "/copy-requests";
        LocalDate received = LocalDate.now(ZoneOffset.UTC).minusDays(3);

        Http.Response recorded = new Http(port).withToken(ADMIN).post(path, "{\"receivedOn\":\"" + received + "\"}");
        assertThat(recorded.status()).as(recorded.raw().body()).isEqualTo(201);
        assertThat(Instant.parse(recorded.body().get("dueBy").asString()))
                .isEqualTo(received.plusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant());
        Http.Response listed = new Http(port).withToken(TestIssuer.shared().complianceOfficer()).get(path);
        assertThat(listed.body().get("requests").get(0).get("channel").asString()).isEqualTo("ON_PAPER");
    }

    @Test
    void whoMayNotAskOrAsksBadlyIsRefused() {
        String client = new ConsentApi(new Http(port).withToken(TestIssuer.shared().practitioner()))
                .register(TestIssuer.CLINIC);
        String path = "/api/clients/" + client + "/copy-requests";
        String body = "{\"receivedOn\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}";
        RefusalCheck.problem(new Http(port).withToken(TestIssuer.shared().practitioner()).post(path, body), 403,
                             "role-not-allowed");
        RefusalCheck.problem(new Http(port).withToken(TestIssuer.shared().complianceOfficer()).post(path, body), 403,
                             "role-not-allowed");
        String elsewhere = TestIssuer.shared().token("ada-admin", TestIssuer.ORGANISATION, List.of("mill-lane"),
                                                     List.of("CLINIC_ADMIN"));
        RefusalCheck.problem(new Http(port).withToken(elsewhere).post(path, body), 403, "client-of-another-clinic");
        for (String bad : List.of("{}", "{\"receivedOn\":\"" + LocalDate.now(ZoneOffset.UTC).plusDays(2) + "\"}",
                                  "{\"receivedOn\":\"2001-01-01\"}")) {
            Http.Response refused = new Http(port).withToken(ADMIN).post(path, bad);
            RefusalCheck.problem(refused, 400, "invalid-request");
            assertThat(refused.raw().body()).contains("receivedOn");
        }
        // staff reach /api/me with no client of their own
        RefusalCheck.problem(new Http(port).withToken(ADMIN).post("/api/me/copy-requests", ""), 403, "role-not-allowed");
        assertThat(new Http(port).withToken(ADMIN).get(path).body().get("requests").size()).as("nothing written").isZero();
    }

    @Test
    void anOrganisationHasItsOwnTimeLimit() {
        CopyProperties limits = new CopyProperties(Period.ofDays(30), Map.of("quickwater", Period.ofDays(14)),
                                                   Period.ofDays(14), 5, Map.of(), java.time.Duration.ofMinutes(1),
                                                   java.time.ZoneId.of("UTC"), java.time.Duration.ofSeconds(5));
        assertThat(limits.dueWithinOf(OrganisationId.of("quickwater"))).isEqualTo(Period.ofDays(14));
        assertThat(limits.dueWithinOf(OrganisationId.of(TestIssuer.ORGANISATION))).isEqualTo(Period.ofDays(30));
    }
}
