package org.stillpoint.gateway.it;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.stillpoint.integrator.WebhookMessages;
import org.stillpoint.security.Role;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Push delivery as an organisation meets it through the gateway: its compliance officer registers a webhook, a
 * session recorded and signed arrives at the integrator's receiver with both signatures checkable against the keys the
 * gateway publishes, the integrator reads the delivery log, and the audit counts each delivery as the integrator's
 * access to the client's record and a disclosure in the accounting; the subscription's registration is in the
 * organisation's audit.
 */
class WebhooksIT {

    private record Received(byte[] body, Map<String, List<String>> headers) {
    }

    @Test
    void aSessionReachesTheIntegratorsWebhookSignedAndTheAuditAccountsForIt() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((n, v) -> headers.put(n.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
                received.add(new Received(in.readAllBytes(), headers));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        Http gateway = Suite.gateway();
        Http officer = gateway.withToken(Callers.OWN_CLINIC.token(Role.COMPLIANCE_OFFICER));
        String id = null;
        try {
            Http.Response made = officer.post("/api/webhooks", """
                    {"name":"billing","endpoint":"http://127.0.0.1:%d/hooks",
                     "eventTypes":["stillpoint.session.recorded.v1","stillpoint.session.note-signed.v1"]}
                    """.formatted(receiver.getAddress().getPort()));
            assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
            id = made.body().get("subscriptionId").asString();
            WebhookMessages checks = new WebhookMessages(made.body().get("secret").asString(),
                                                         "http://127.0.0.1:" + gateway.port()
                                                                 + "/.well-known/stillpoint/{service}/jwks.json");

            Fixtures fixtures = new Fixtures(gateway);
            String[] client = fixtures.client();
            fixtures.signedSession(client[0], client[2]);
            List<String> types = await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> ours = new ArrayList<>();
                for (Received r : received) {
                    WebhookMessages.Message message = checks.check(r.body(), r.headers());
                    if (message.clientKey().equals(client[0])) {
                        ours.add(message.type());
                    }
                }
                return ours;
            }, ours -> ours.size() >= 2);
            assertThat(types).containsExactly("stillpoint.session.recorded.v1", "stillpoint.session.note-signed.v1");

            Http integrator = gateway.withToken(Callers.OWN_CLINIC.token(Role.INTEGRATOR));
            JsonNode log = integrator.get("/api/webhooks/" + id + "/deliveries").body();
            assertThat(log.get("attempts").values().stream().filter(a -> client[0].equals(a.path("clientId").asString(null)))
                          .map(a -> a.get("outcome").asString())).contains("DELIVERED");

            JsonNode disclosures = await().atMost(Duration.ofSeconds(30)).until(
                    () -> officer.get("/api/audit/clients/" + client[0] + "/disclosures").body().get("disclosures"),
                    d -> d.size() >= 2);
            assertThat(disclosures.values().stream().map(d -> d.get("recipient").get("kind").asString()))
                    .containsOnly("INTEGRATOR");
            assertThat(disclosures.get(0).get("recipient").get("name").asString()).isEqualTo("billing");
            // and the client reads it in their own access log, in words
            Http me = gateway.withToken(TestIssuer.shared().minter().mintClient(
                    "client-" + client[0].substring(0, 8), Callers.ORGANISATION, client[0], Duration.ofHours(1)));
            assertThat(me.get("/api/me/accesses").body().get("accesses").values().stream()
                         .map(a -> a.get("action").asString() + ": " + a.get("what").asString()))
                    .contains("READ: their record's session recorded, sent to the organisation's integrator (billing)");

            // the subscription's registration is in the organisation's audit, with who made it
            String subscription = id;
            JsonNode change = await().atMost(Duration.ofSeconds(30)).until(
                    () -> officer.get("/api/audit/webhooks").body().get("changes").values().stream()
                                 .filter(c -> c.get("subscriptionId").asString().equals(subscription)).findFirst(),
                    Optional::isPresent).orElseThrow();
            assertThat(change.get("change").asString()).isEqualTo("CREATED");
            assertThat(change.get("actor").asString()).startsWith("compliance-officer@");
            assertThat(change.get("endpoint").asString()).doesNotContain("?");
        } finally {
            if (id != null) {
                officer.delete("/api/webhooks/" + id);
            }
            receiver.stop(0);
        }
    }
}
