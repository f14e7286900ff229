package org.stillpoint.consent.it;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.crypto.ClientKeys;
import org.stillpoint.platform.crypto.DataKeys;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure over HTTP (DESIGN §6b): who may request, who may approve (dual control), the retention rule and its legal
 * override, withdrawal; after the erasure the key is shredded, reads answer the fact and time of the erasure, writes are
 * refused; every step, refusals of approval included, is an event on the consent topic for the audit.
 */
class ErasureIT extends OnBackends {

    private static final String ADMIN = TestIssuer.shared().clinicAdmin();
    private static final String OFFICER = TestIssuer.shared().complianceOfficer();

    @Autowired
    ClientKeys keys;

    private String request(String client) {
        Http.Response created = new Http(port).withToken(ADMIN).post("/api/clients/" + client + "/erasure-requests",
                "{\"legalBasis\":\"GDPR Art. 17(1)(b)\",\"reason\":\"The client asked in writing on 2026-11-30\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.body().get("requestId").asString();
    }

    private Http.Response approve(String token, String client, String request, String override) {
        return new Http(port).withToken(token).post("/api/clients/" + client + "/erasure-requests/" + request
                + "/approval", "{\"justification\":\"Checked the client's identity and request\",\"legalOverride\":"
                + (override == null ? "null" : "\"" + override + "\"") + "}");
    }

    @Test
    void onlyAClinicAdminOfTheClientsClinicRequestsAndTheRequestIsWellFormed() {
        ConsentApi consent = new ConsentApi(new Http(port).withToken(TestIssuer.shared().practitioner()));
        String client = consent.register(TestIssuer.CLINIC);
        String path = "/api/clients/" + client + "/erasure-requests";
        String body = "{\"legalBasis\":\"GDPR Art. 17(1)(b)\",\"reason\":\"asked\"}";
        RefusalCheck.problem(new Http(port).withToken(TestIssuer.shared().practitioner()).post(path, body), 403, "role-not-allowed");
        RefusalCheck.problem(new Http(port).withToken(OFFICER).post(path, body), 403, "role-not-allowed");
        String elsewhere = TestIssuer.shared().token("ada-admin", TestIssuer.ORGANISATION, List.of("mill-lane"),
                                                     List.of("CLINIC_ADMIN"));
        RefusalCheck.problem(new Http(port).withToken(elsewhere).post(path, body), 403, "client-of-another-clinic");
        String otherOrganisation = TestIssuer.shared().token("oli-admin", "harmony-health",
                                                             List.of(TestIssuer.CLINIC), List.of("CLINIC_ADMIN"));
        RefusalCheck.problem(new Http(port).withToken(otherOrganisation).post(path, body), 404, "client-not-found");
        Http.Response noBasis = new Http(port).withToken(ADMIN).post(path, "{\"reason\":\"asked\"}");
        RefusalCheck.problem(noBasis, 400, "invalid-request");
        assertThat(noBasis.raw().body()).contains("legalBasis");
        // what stays in clear after the erasure is from a fixed vocabulary: no words in which a name could hide
        for (String basis : List.of("GDPR", "GDPR Art. 17(1)(b) as Robin Ashdown asked", "x".repeat(300))) {
            Http.Response free = new Http(port).withToken(ADMIN).post(path, "{\"legalBasis\":\"" + basis
                    + "\",\"reason\":\"asked\"}");
            RefusalCheck.problem(free, 400, "invalid-request");
            assertThat(free.raw().body()).contains("legalBasis").doesNotContain("Robin");
        }
        RefusalCheck.problem(new Http(port).withToken(ADMIN).post("/api/clients/" + ClientId.random() + "/erasure-requests",
                                                           body), 404, "client-not-found");
        request(client);
        RefusalCheck.problem(new Http(port).withToken(ADMIN).post(path, body), 409, "erasure-pending");
    }

    @Test
    void dualControlRetentionAndItsOverrideThenTheClientIsGoneEverywhereInThisService() {
        ConsentApi consent = new ConsentApi(new Http(port).withToken(TestIssuer.shared().practitioner()));
        String client = consent.register(TestIssuer.CLINIC);
        consent.grant(client, "[\"CRANIOSACRAL_THERAPY\"]", Duration.ofDays(1));
        String request = request(client);

        RefusalCheck.problem(approve(ADMIN, client, request, null), 403, "role-not-allowed");
        String requesterAsOfficer = TestIssuer.shared().token("cam-clinic-admin", TestIssuer.ORGANISATION, List.of(),
                                                              List.of("COMPLIANCE_OFFICER"));
        RefusalCheck.problem(approve(requesterAsOfficer, client, request, null), 403, "dual-control");
        String otherOfficer = TestIssuer.shared().token("cole-elsewhere", "harmony-health", List.of(),
                                                        List.of("COMPLIANCE_OFFICER"));
        RefusalCheck.problem(approve(otherOfficer, client, request, null), 404, "client-not-found");
        RefusalCheck.problem(approve(OFFICER, client, java.util.UUID.randomUUID().toString(), null), 404,
                      "erasure-request-not-found");
        for (String override : List.of("counsel Robin Ashdown said so", "Court order ref. by Robin", "")) {
            Http.Response free = approve(OFFICER, client, request, override);
            RefusalCheck.problem(free, 400, "invalid-request");
            assertThat(free.raw().body()).contains("legalOverride");
        }
        Http.Response retained = approve(OFFICER, client, request, null);
        RefusalCheck.problem(retained, 409, "retention-period");
        assertThat(retained.body().get("rule").asString()).contains("7 years", "a consent is still active");
        assertThat(retained.body().get("field").asString()).isEqualTo("legalOverride");
        assertThat(keys.existingKey(DataKeys.reference(ClientId.of(client)))).as("nothing erased yet").isPresent();

        Http.Response erased = approve(OFFICER, client, request, "Court order ref. 2026/114");
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(201);
        assertThat(erased.body().get("erasedAt").asString()).isNotBlank();

        Document key = database.getCollection("client_keys").find(Filters.eq("_id", DataKeys.reference(ClientId.of(client)))).first();
        assertThat(key).isNotNull();
        assertThat(key.containsKey("wrapped")).as("the key is shredded").isFalse();
        assertThat(keys.cached(DataKeys.reference(ClientId.of(client)))).isFalse();
        Document view = database.getCollection("client_consents").find(Filters.eq("_id", client)).first();
        assertThat(view.get("personalDetails")).isNull();
        assertThat(view.toJson()).doesNotContain("ciphertext");

        Http practitioner = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http.Response read = practitioner.get("/api/clients/" + client);
        RefusalCheck.problem(read, 410, "client-erased");
        assertThat(read.body().get("erasedAt").asString()).isEqualTo(erased.body().get("erasedAt").asString());
        assertThat(read.raw().body()).doesNotContain("Robin", "Ashdown", "1984");
        RefusalCheck.problem(practitioner.get("/api/clients/" + client + "/consents"), 410, "client-erased");
        Http.Response grant = practitioner.post("/api/clients/" + client + "/consents", """
                {"scopes":["CRANIOSACRAL_THERAPY"],"method":"WRITTEN",
                 "form":{"formId":"cst-ser-intake","version":"2026-09","textSha256":"%s"}}""".formatted("ab".repeat(32)));
        RefusalCheck.problem(grant, 409, "client-erased");
        RefusalCheck.problem(new Http(port).withToken(ADMIN).post("/api/clients/" + client + "/erasure-requests",
                "{\"legalBasis\":\"GDPR Art. 17(1)(a)\",\"reason\":\"again\"}"), 409, "client-erased");

        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), "stillpoint.consent.v1")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> topic.keyed(client), r -> r.size() == 5);
            assertThat(topic.keyed(client)).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE))
                    .containsExactly("stillpoint.consent.client-registered.v1", "stillpoint.consent.granted.v1",
                                     "stillpoint.consent.erasure-requested.v1", "stillpoint.consent.erasure-refused.v1",
                                     "stillpoint.consent.client-erased.v1");
        }
    }

    @Test
    void aWithdrawnRequestCannotBeApproved() {
        ConsentApi consent = new ConsentApi(new Http(port).withToken(TestIssuer.shared().practitioner()));
        String client = consent.register(TestIssuer.CLINIC);
        String request = request(client);
        RefusalCheck.problem(new Http(port).withToken(OFFICER).post("/api/clients/" + client + "/erasure-requests/" + request
                                                             + "/withdrawal", ""), 403, "role-not-allowed");
        Http.Response withdrawn = new Http(port).withToken(ADMIN).post("/api/clients/" + client + "/erasure-requests/"
                                                                       + request + "/withdrawal", "");
        assertThat(withdrawn.status()).as(withdrawn.raw().body()).isEqualTo(201);
        RefusalCheck.problem(approve(OFFICER, client, request, "Court order ref. 2026/114"), 409, "erasure-request-closed");
        assertThat(new Http(port).withToken(TestIssuer.shared().practitioner()).get("/api/clients/" + client).status())
                .isEqualTo(200);
    }
}
