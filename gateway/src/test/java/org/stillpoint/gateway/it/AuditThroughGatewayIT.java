package org.stillpoint.gateway.it;

import org.junit.jupiter.api.Assumptions;
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
 * the timeline, the disclosure, the access entries and a clean ledger — over the API and on the page, in Chromium.
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
                assertThat(a.get("summary").asString()).isEqualTo("READ GET /api/clients/" + clientId + "/sessions");
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

    @Test
    void theAuditPageShowsItInABrowser() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        String base = "http://127.0.0.1:" + Suite.gateway().port();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                officer().get("/api/audit/clients/" + clientId + "/disclosures").body().get("disclosures").size())
                .isPositive());
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.authorize(null);
            browser.open(base + "/api/audit/ui");
            assertThat(browser.text("document.body.innerText")).as("no token, no page").contains("401");

            browser.authorize(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER));
            browser.open(base + "/api/audit/ui?q=" + clientId);
            assertThat(browser.text("document.querySelector('#clients').innerText")).contains(clientId);
            browser.click("#clients a");

            assertThat(browser.text("document.querySelector('h1').innerText")).isEqualTo("Client " + clientId);
            assertThat(browser.text("document.querySelector('#verification').innerText")).startsWith("Ledger verified");
            String timeline = browser.text("document.querySelector('#timeline').innerText");
            assertThat(timeline).contains("client registered at harbour-street", "session recorded",
                                          "referral issued to Dr. Amara Osei");
            assertThat(timeline).doesNotContain("occiput");
            assertThat(browser.text("document.querySelector('#disclosures').innerText"))
                    .contains("Dr. Amara Osei (MEDICAL)", "DEMOGRAPHICS");
            assertThat(browser.text("document.querySelector('#accesses').innerText"))
                    .contains("DENIED", "mill-lane", "ALLOWED");

            browser.authorize(Callers.OWN_CLINIC.token(Role.PRACTITIONER));
            browser.open(base + "/api/audit/ui/clients/" + clientId);
            assertThat(browser.text("document.body.innerText")).as("practitioners read no audit data").contains("403");
        }
    }
}
