package org.stillpoint.gateway.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.audit.AuditServiceApplication;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.referral.ReferralServiceApplication;
import org.stillpoint.security.Role;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.FreePort;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The compliance console as a browser meets it, in Debian's headless Chromium: a gateway in the local profile (its own
 * identity provider, Spring Authorization Server, under {@code /dev}) in front of an audit-service that trusts that
 * provider, on the suite's store and broker. Opening a client's page redirects to sign in; signing in through the form
 * lands on that page; each view shows what it should, readable; a form posted without the session's CSRF token is
 * refused; sign-out ends the session at the gateway and at the provider. Each view is saved as a picture.
 */
@UsesBackends
class ConsoleInBrowserIT {

    /**
     * Where each view is saved: {@code target/console}, so that a test run writes no tracked file; the README's command
     * with {@code -Dstillpoint.screenshots=../docs/console} refreshes the documentation's pictures.
     */
    private static final Path SCREENSHOTS = Path.of(System.getProperty("stillpoint.screenshots", "target/console"));

    private static String clientId;
    /** A client without information-sharing consent, and the emergency referral issued for them anyway. */
    private static String emergencyClient;
    private static String emergencyReferral;
    private static String base;
    private static ConfigurableApplicationContext audit;
    private static ConfigurableApplicationContext referrals;
    private static ConfigurableApplicationContext consents;

    @BeforeAll
    static void aClientsCareAndAConsoleInTheLocalProfile() {
        Assumptions.assumeTrue(HeadlessChromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        Fixtures fixtures = new Fixtures(Suite.gateway());
        String[] client = fixtures.client();
        clientId = client[0];
        fixtures.session(clientId, client[2]);
        fixtures.referral(clientId, client[2]);
        assertThat(Suite.gateway().withToken(Callers.owner()).get("/api/clients/" + clientId + "/sessions").status())
                .isEqualTo(200);
        assertThat(Suite.gateway().withToken(Callers.OTHER_CLINIC.token(Role.PRACTITIONER))
                        .get("/api/clients/" + clientId + "/referrals").status()).isEqualTo(403);
        Http owner = Suite.gateway().withToken(Callers.owner());
        JsonNode unconsented = owner.post("/api/clients", REGISTRATION).body();
        emergencyClient = unconsented.get("clientId").asString();
        Http.Response emergency = owner.post("/api/clients/" + emergencyClient + "/referrals",
                                             EMERGENCY.formatted(unconsented.get("sequence").asString()));
        assertThat(emergency.status()).as(emergency.raw().body()).isEqualTo(201);
        emergencyReferral = emergency.body().get("referralId").asString();
        // the client asked for a copy of their record on paper three days ago: on the officer's queue, due in 27 days
        Http.Response copy = Suite.gateway().withToken(Callers.OWN_CLINIC.token(Role.CLINIC_ADMIN)).post(
                "/api/clients/" + clientId + "/copy-requests",
                "{\"receivedOn\":\"" + LocalDate.now(ZoneOffset.UTC).minusDays(3) + "\"}");
        assertThat(copy.status()).as(copy.raw().body()).isEqualTo(201);
        fixtures.awaitAudit(clientId);
        fixtures.awaitAudit(emergencyClient);

        int port = FreePort.any();
        String issuer = "http://127.0.0.1:" + port + "/dev";
        List<String> trustTheProvider = List.of("--stillpoint.security.issuer=" + issuer,
                                                "--stillpoint.security.jwk-set-uri=" + issuer + "/jwks.json");
        // another instance of the suite's audit-service (its store, its consumer group), trusting the local provider
        List<String> auditSettings = new ArrayList<>(trustTheProvider);
        // five to a page: the client's first page holds one event of each kind, and a page follows
        auditSettings.add("--stillpoint.console.page-size=5");
        // another instance of referral-service, trusting the same provider: where the console reads a referral under
        // review and records the review, with the officer's token
        referrals = ServiceBeside.start(ReferralServiceApplication.class, Backends.shared().mongoConnectionString(),
                                        ServiceBeside.context(ReferralServiceApplication.class).getEnvironment()
                                                     .getProperty("spring.mongodb.database"),
                                        Backends.shared().kafkaBootstrapServers(), trustTheProvider.toArray(String[]::new));
        auditSettings.add("--stillpoint.audit.referral-service=http://127.0.0.1:"
                                  + referrals.getEnvironment().getProperty("local.server.port"));
        // and of consent-service: where the console finds a client by name and date of birth
        consents = ServiceBeside.start(ConsentServiceApplication.class, Backends.shared().mongoConnectionString(),
                                       ServiceBeside.context(ConsentServiceApplication.class).getEnvironment()
                                                    .getProperty("spring.mongodb.database"),
                                       Backends.shared().kafkaBootstrapServers(), trustTheProvider.toArray(String[]::new));
        auditSettings.add("--stillpoint.audit.consent-service=http://127.0.0.1:"
                                  + consents.getEnvironment().getProperty("local.server.port"));
        audit = ServiceBeside.start(AuditServiceApplication.class, Backends.shared().mongoConnectionString(),
                                    ServiceBeside.context(AuditServiceApplication.class).getEnvironment()
                                                 .getProperty("spring.mongodb.database"),
                                    Backends.shared().kafkaBootstrapServers(), auditSettings.toArray(String[]::new));
        List<String> gateway = new ArrayList<>(trustTheProvider);
        gateway.add("--spring.profiles.active=local");
        gateway.add("--stillpoint.gateway.audit-service=http://127.0.0.1:"
                            + audit.getEnvironment().getProperty("local.server.port"));
        base = "http://127.0.0.1:" + Suite.startGateway(gateway, port).port();
    }

    @AfterAll
    static void stopTheSecondAudit() {
        if (audit != null) {
            audit.close();
        }
        if (referrals != null) {
            referrals.close();
        }
        if (consents != null) {
            consents.close();
        }
    }

    @Test
    void anOfficerSignsInReadsTheRecordAndSignsOut() throws Exception {
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.open(base + "/console/clients/" + clientId);
            assertThat(browser.location()).as("no session: sent to sign in").isEqualTo("/dev/sign-in");
            assertThat(browser.text("document.querySelector('#users').innerText"))
                    .contains("cole", "COMPLIANCE_OFFICER", "stillwater");
            browser.screenshot(SCREENSHOTS.resolve("sign-in.png"));

            signIn(browser, "cole", "not-the-password");
            assertThat(browser.location()).isEqualTo("/dev/sign-in?failed");
            assertThat(browser.text("document.querySelector('#failed').innerText")).contains("do not match");

            signIn(browser, "cole", "stillpoint");
            assertThat(browser.location()).as("back where the browser was going").startsWith("/console/clients/" + clientId);
            assertThat(browser.text("document.querySelector('#signed-in-as').innerText"))
                    .contains("cole", "COMPLIANCE_OFFICER", "stillwater");
            JsonNode session = browser.cookies().stream().filter(c -> c.get("name").asString().equals("STILLPOINT_SESSION"))
                                      .findFirst().orElseThrow();
            assertThat(session.get("httpOnly").asBoolean()).isTrue();
            assertThat(session.get("sameSite").asString()).isEqualTo("Lax");
            String timeline = browser.text("document.querySelector('#timeline').innerText");
            assertThat(timeline).contains("Client registered", "Consent granted", "Session recorded", "Referral issued",
                                          "Record accessed", " UTC", "referral issued to Dr. Amara Osei");
            assertThat(timeline).as("labels, not type names; no note text").doesNotContain("stillpoint.", "occiput");
            assertThat(browser.text("document.querySelector('#shown').innerText")).isEqualTo("entries 1–5");
            browser.screenshot(SCREENSHOTS.resolve("timeline.png"));
            browser.click("#next");
            assertThat(browser.location()).contains("page=1");
            assertThat(browser.text("document.querySelector('#shown').innerText")).startsWith("entries 6–");
            assertThat(browser.text("String(document.querySelector('#previous') !== null)")).isEqualTo("true");

            browser.open(base + "/console/clients/" + clientId + "?kind=access");
            assertThat(browser.text("[...document.querySelectorAll('#timeline tbody tr td:nth-child(3)')]"
                                            + ".map(td => td.innerText).join('|')").split("\\|"))
                    .isNotEmpty().containsOnly("Record accessed");

            browser.click("#nav-state");
            assertThat(browser.text("document.querySelector('#consents').innerText")).contains("active");
            assertThat(browser.text("document.querySelector('#referrals').innerText")).contains("Dr. Amara Osei");
            browser.screenshot(SCREENSHOTS.resolve("state-as-of.png"));
            browser.open(base + "/console/clients/" + clientId + "/state?at=2001-01-01T00:00");
            assertThat(browser.text("document.querySelector('#consents').innerText")).contains("None recorded by then");

            browser.click("#nav-disclosures");
            assertThat(browser.text("document.querySelector('#disclosures').innerText"))
                    .contains("Dr. Amara Osei (medical", "demographics", " UTC", "urgent referral")
                    .doesNotContain("DEMOGRAPHICS", "MEDICAL");
            browser.screenshot(SCREENSHOTS.resolve("disclosures.png"));

            browser.click("#nav-accesses");
            assertThat(browser.text("document.querySelector('#accesses').innerText"))
                    .contains("refused", "mill-lane", "allowed", "looked at the client's sessions",
                              "the client is registered at a clinic they do not work at")
                    .doesNotContain("GET /api", "DENIED", "READ ");
            assertThat(Integer.parseInt(browser.text("document.querySelector('#denials').innerText"))).isPositive();
            browser.screenshot(SCREENSHOTS.resolve("access-log.png"));

            // the consent each act relied on, as it stood then; its boundaries read at consent-service as cole
            browser.click("#nav-consent-at-acts");
            assertThat(browser.text("document.querySelector('#acts').innerText"))
                    .contains("Session of", "Referral of", "version 1", "cst-ser-intake", "written")
                    .doesNotContain("CRANIOSACRAL_THERAPY");
            browser.screenshot(SCREENSHOTS.resolve("consent-at-acts.png"));

            // the session's cookie, sent by another client: the export buttons' downloads, and a form without its token
            String cookie = "STILLPOINT_SESSION=" + session.get("value").asString();
            HttpResponse<String> fhir = send(HttpRequest.newBuilder(URI.create(
                    base + "/console/clients/" + clientId + "/export?format=fhir")).header("Cookie", cookie).build());
            assertThat(fhir.statusCode()).isEqualTo(200);
            assertThat(fhir.headers().firstValue("Content-Type")).hasValue("application/fhir+json");
            assertThat(fhir.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
            HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(base + "/console/ledger/checkpoints"))
                                                          .header("Cookie", cookie)
                                                          .header("Content-Type", "application/x-www-form-urlencoded")
                                                          .POST(HttpRequest.BodyPublishers.ofString("")).build());
            assertThat(forged.statusCode()).as("a form posted without the session's CSRF token").isEqualTo(403);

            // the emergency review: the queue, the referral with its justification, the outcome recorded
            browser.click("#nav-reviews");
            assertThat(browser.text("document.querySelector('#awaiting').innerText")).contains(emergencyClient, "Harbour A&E");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                browser.open(base + "/console/reviews");
                assertThat(browser.text("document.querySelector('#copies').innerText")).contains(clientId, "on paper");
            });
            browser.screenshot(SCREENSHOTS.resolve("reviews.png"));
            browser.open(base + "/console/reviews/" + emergencyReferral);
            assertThat(browser.text("document.querySelector('#justification').innerText"))
                    .isEqualTo("Client collapsed; paramedics needed the history now");
            browser.text("document.querySelector('input[value=APPROPRIATE]').checked = true, ''");
            browser.type("#notes", "Paramedics were on scene; there was no time to ask");
            browser.screenshot(SCREENSHOTS.resolve("review.png"));
            browser.click("#record-review button");
            assertThat(browser.location()).as(browser.text("document.body.innerText"))
                                          .isEqualTo("/console/reviews?reviewed=" + emergencyReferral);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                browser.open(base + "/console/clients/" + emergencyClient + "/disclosures");
                assertThat(browser.text("document.querySelector('#disclosures').innerText"))
                        .contains("emergency without consent", "reviewed: appropriate (cole");
            });

            browser.click("#nav-ledger");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                browser.open(base + "/console/ledger");
                assertThat(browser.text("document.querySelector('#verdict').innerText")).contains("Verified");
            });
            assertThat(Long.parseLong(browser.text("document.querySelector('#entries').innerText"))).isPositive();
            browser.click("#sign-checkpoint button");
            assertThat(browser.location()).startsWith("/console/ledger?signed=");
            assertThat(browser.text("document.querySelector('#checkpoint').innerText")).startsWith("link ");
            browser.screenshot(SCREENSHOTS.resolve("ledger.png"));

            browser.open(base + "/console?client=" + clientId.substring(0, 8) + "&clinic=harbour-street&from="
                                 + LocalDate.now(ZoneOffset.UTC).minusDays(1));
            assertThat(browser.text("document.querySelector('#clients').innerText")).contains(clientId);
            browser.screenshot(SCREENSHOTS.resolve("find-a-client.png"));

            // by name and date of birth, as a letter names the client: posted, found through the blind index
            browser.type("#given-name", "sam");
            browser.type("#family-name", "QUILL");
            browser.text("document.querySelector('#date-of-birth').value = '1990-01-01', ''");
            browser.click("#by-name button");
            assertThat(browser.location()).as("the name is in no address").isEqualTo("/console/by-name");
            assertThat(browser.text("document.querySelector('#clients').innerText")).contains(emergencyClient);
            browser.screenshot(SCREENSHOTS.resolve("find-by-name.png"));

            // an investigation of cole's own accesses of the last hour: the clients just read, in words and totals
            browser.click("#nav-investigations");
            browser.type("#actor", "cole");
            browser.click("#investigate button");
            assertThat(browser.text("document.querySelector('#findings').innerText")).contains(clientId, emergencyClient);
            assertThat(Integer.parseInt(browser.text("document.querySelector('#clients-affected').innerText")))
                    .isGreaterThanOrEqualTo(2);
            browser.screenshot(SCREENSHOTS.resolve("investigation.png"));

            browser.click("#sign-out button");
            assertThat(browser.location()).isEqualTo("/signed-out");
            assertThat(browser.text("document.querySelector('#signed-out').innerText")).contains("signed out");
            browser.screenshot(SCREENSHOTS.resolve("signed-out.png"));
            browser.open(base + "/console");
            assertThat(browser.location()).as("signed out of the provider too").isEqualTo("/dev/sign-in");
        }
    }

    /**
     * Every page of the console, as each of its users meets it, passes axe-core with no serious or critical violation,
     * and is used with the keyboard alone: Tab reaches the navigation, every control and the sign-out, each showing
     * where the focus is, and Enter follows a link.
     */
    @Test
    void everyPageIsAccessibleAndWorksWithTheKeyboard() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.axeInstalled(), "axe-core is not installed (cd system-tests/axe && npm ci)");
        List<String> found = new ArrayList<>();
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.open(base + "/console");
            found.addAll(checked(browser, "sign-in"));
            signIn(browser, "cole", "stillpoint");
            for (String page : List.of("/console", "/console/clients/" + clientId, "/console/clients/" + clientId + "/state",
                                       "/console/clients/" + clientId + "/disclosures",
                                       "/console/clients/" + clientId + "/accesses", "/console/reviews",
                                       "/console/reviews/" + emergencyReferral, "/console/ledger", "/console/directory",
                                       "/console/investigations?actor=cole",
                                       "/console/clients/" + clientId + "/consent-at-acts",
                                       "/console/clients/" + UUID.randomUUID(), "/console/no-such-page")) {
                browser.open(base + page);
                found.addAll(checked(browser, "cole " + page));
            }
            assertThat(browser.text("document.querySelector('#problem-title').innerText")).isEqualTo("Not found");

            browser.open(base + "/console/clients/" + clientId);
            List<String> focus = browser.tabThrough(15);
            assertThat(focus).as("the order Tab takes").first().asString().contains("Skip to the page");
            assertThat(String.join("\n", focus)).contains("#nav-clients", "#nav-reviews", "#nav-directory", "#nav-ledger", "Sign out",
                                                         "#nav-timeline", "#nav-state");
            assertThat(focus).as("every focused control shows the focus").noneMatch(f -> f.contains("[no visible focus]"));
            int reviews = focus.indexOf(focus.stream().filter(f -> f.contains("#nav-reviews")).findFirst().orElseThrow());
            browser.open(base + "/console/clients/" + clientId);
            browser.tabThrough(reviews + 1);
            browser.enter();
            assertThat(browser.location()).as("Enter follows the focused link").isEqualTo("/console/reviews");
        }
        for (String user : List.of("cam", "rio", "pat")) {
            try (HeadlessChromium browser = new HeadlessChromium()) {
                browser.open(base + "/console/clients/" + clientId);
                signIn(browser, user, "stillpoint");
                found.addAll(checked(browser, user + " /console/clients/" + clientId));
                if (user.equals("rio")) {
                    assertThat(browser.text("document.querySelector('#problem-title').innerText"))
                            .as("another organisation's officer learns nothing of the client").isEqualTo("Not found");
                }
                if (user.equals("cam")) {
                    browser.open(base + "/console/reviews");
                    found.addAll(checked(browser, "cam /console/reviews"));
                    browser.open(base + "/console/reviews/" + emergencyReferral);
                    found.addAll(checked(browser, "cam a review"));
                    assertThat(browser.text("String(document.querySelector('#record-review') === null)"))
                            .as("a clinic admin reads the review; only an officer records one").isEqualTo("true");
                }
            }
        }
        browserSignedOut(found);
        assertThat(found).as("serious or critical accessibility violations").isEmpty();
    }

    /** The signed-out page, as everybody ends. */
    private void browserSignedOut(List<String> found) throws Exception {
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.open(base + "/signed-out");
            found.addAll(checked(browser, "signed out"));
        }
    }

    private static List<String> checked(HeadlessChromium browser, String page) throws Exception {
        return browser.violations().stream().map(v -> page + ": " + v).toList();
    }

    @Test
    void aPractitionerSignsInButReadsNoAuditData() throws Exception {
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.open(base + "/console");
            signIn(browser, "pat", "stillpoint");
            assertThat(browser.text("document.body.innerText")).contains("403", "compliance console")
                                                              .contains("Not for your role", "Sign out")
                                                              .doesNotContain("urn:stillpoint:problem");
            // a page, with the way out
            browser.click("#sign-out button");
            assertThat(browser.location()).isEqualTo("/signed-out");
        }
    }

    @Test
    void theApiKeepsBearerTokensAndTheConsoleWantsASession() {
        Http gateway = new Http(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)));
        Http.Response console = gateway.withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER)).get("/console");
        assertThat(console.status()).isEqualTo(401);
        assertThat(console.header("Content-Type")).startsWith("application/problem+json");
        assertThat(gateway.get("/api/audit/ledger/verification").status()).isEqualTo(401);
    }

    private static final String REGISTRATION = """
            {"clinicId":"harbour-street","givenName":"Sam","familyName":"Quill","dateOfBirth":"1990-01-01"}
            """;
    private static final String EMERGENCY = """
            {"urgency":"EMERGENCY","reason":"Chest pain during the session","sharedCategories":["DEMOGRAPHICS"],
             "emergencyJustification":"Client collapsed; paramedics needed the history now",
             "recipient":{"kind":"MEDICAL","name":"Harbour A&E","contact":{"phone":"+44 20 7946 0000"}},
             "consentSequence":%s}
            """;

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void signIn(HeadlessChromium browser, String username, String password) throws Exception {
        browser.type("#username", username);
        browser.type("#password", password);
        browser.click("#sign-in button");
    }
}
