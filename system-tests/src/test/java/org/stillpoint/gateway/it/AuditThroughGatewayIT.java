package org.stillpoint.gateway.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stillpoint.security.Role;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consent, a session, a referral and reads, all through the gateway; then the compliance officer's view of them:
 * the timeline, the disclosure, the access entries and a clean ledger, over the API (the console's pages, in a browser,
 * are {@link ConsoleInBrowserIT}'s).
 */
@UsesBackends
class AuditThroughGatewayIT {

    private static String clientId;
    private static String referralId;

    @BeforeAll
    static void aClientsCareThroughTheGateway() {
        Fixtures fixtures = new Fixtures(Suite.gateway());
        String[] client = fixtures.client();
        clientId = client[0];
        fixtures.session(clientId, client[2]);
        referralId = fixtures.referral(clientId, client[2]);
        Http owner = Suite.gateway().withToken(Callers.owner());
        assertThat(owner.get("/api/clients/" + clientId + "/sessions").status()).isEqualTo(200);
        assertThat(Suite.gateway().withToken(Callers.OTHER_CLINIC.token(Role.PRACTITIONER))
                        .get("/api/clients/" + clientId + "/referrals").status()).isEqualTo(403);
        fixtures.awaitAudit(clientId);
    }

    private static Http officer() {
        return Suite.gateway().withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER));
    }

    @Test
    void theComplianceOfficerSeesTheWholeHistory() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode timeline = officer().get("/api/audit/clients/" + clientId + "/timeline").body().get("entries");
            assertThat(timeline.values()).extracting(e -> e.get("type").asString())
                    .contains("stillpoint.consent.client-registered.v1", "stillpoint.consent.granted.v1",
                              "stillpoint.session.recorded.v1", "stillpoint.referral.issued.v2",
                              "stillpoint.access.client-accessed.v1");
            JsonNode disclosures = officer().get("/api/audit/clients/" + clientId + "/disclosures").body();
            assertThat(disclosures.get("disclosures").values()).anySatisfy(d -> {
                assertThat(d.get("referralId").asString()).isEqualTo(referralId);
                assertThat(d.get("recipient").get("name").asString()).isEqualTo("Dr. Amara Osei");
                assertThat(d.get("shared").values()).extracting(JsonNode::asString)
                                                    .contains("DEMOGRAPHICS", "SESSION_SUMMARIES");
            });
            JsonNode accesses = officer().get("/api/audit/clients/" + clientId + "/accesses").body().get("accesses");
            assertThat(accesses.values()).anySatisfy(a -> {
                assertThat(a.get("outcome").asString()).isEqualTo("ALLOWED");
                assertThat(a.get("summary").asString()).isEqualTo("looked at the client's sessions");
            });
            assertThat(accesses.values()).anySatisfy(a -> {
                assertThat(a.get("outcome").asString()).isEqualTo("DENIED");
                assertThat(a.get("clinicId").asString()).isEqualTo("mill-lane");
            });
        });
        JsonNode verification = officer().get("/api/audit/ledger/verification").body();
        assertThat(verification.get("valid").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.get("firstBrokenLink").isNull()).isTrue();
    }
}
