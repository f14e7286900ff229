package org.stillpoint.consent.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Producing a copy is a background job that survives a restart: an instance stopped while it waits on a part leaves the
 * request owed, and the next instance on the same store produces it, once. A copy asked for on paper is downloaded by
 * the clinic administrator who hands it over. The other services' parts come from a server of this test in their
 * answer shapes; the consents part is the service's own.
 */
@UsesBackends
class CopyProductionIT {

    private final CountDownLatch firstCallHeld = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger referralCalls = new AtomicInteger();
    private volatile boolean holdFirstReferrals;
    /** Enough sessions for the bundle to fill stretches before the first instance stops. */
    private static final int SESSIONS = 600;

    @Test
    void aCopyLeftOpenByAStoppedInstanceIsProducedByTheNextOne() throws Exception {
        holdFirstReferrals = true;
        HttpServer parts = parts();
        String database = "copy-restart-" + UUID.randomUUID().toString().substring(0, 8);
        String[] settings = settings(parts);
        try {
            String client;
            String request;
            try (ConfigurableApplicationContext first = start(database, settings)) {
                Http service = new Http(port(first));
                client = new ConsentApi(service.withToken(TestIssuer.shared().practitioner())).register(TestIssuer.CLINIC);
                Http.Response asked = service.withToken(clientToken(client)).post("/api/me/copy-requests", "");
                assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
                request = asked.body().get("requestId").asString();
                assertThat(firstCallHeld.await(60, TimeUnit.SECONDS)).as("the first instance is halfway through")
                                                                   .isTrue();
            }
            release.countDown();
            try (ConfigurableApplicationContext next = start(database, settings)) {
                Http me = new Http(port(next)).withToken(clientToken(client));
                JsonNode produced = await().atMost(Duration.ofSeconds(60)).until(
                        () -> me.get("/api/me/copy-requests").body().get("requests").get(0),
                        r -> r.get("status").asString().equals("PRODUCED"));
                assertThat(produced.get("requestId").asString()).isEqualTo(request);
                Http.Response bundle = me.get("/api/me/copy-requests/" + request + "/bundle");
                assertThat(bundle.status()).as(bundle.raw().body()).isEqualTo(200);
                assertThat(bundle.raw().body()).contains("Still point", "\"resourceType\":\"Procedure\"");
                MongoTemplate store = next.getBean(MongoTemplate.class);
                assertThat(store.getCollection("copy_files").countDocuments()).as("one copy").isEqualTo(1);
                org.bson.Document file = store.getCollection("copy_files").find().first();
                assertThat(file.getInteger("bundleChunks")).as("the sessions filled stretches").isGreaterThan(1);
                assertThat(store.getCollection("copy_chunks").countDocuments())
                        .as("nothing left of the stopped instance's attempt")
                        .isEqualTo(file.getInteger("bundleChunks") + file.getInteger("documentChunks"));
            }
        } finally {
            release.countDown();
            parts.stop(0);
        }
    }

    @Test
    void aCopyAskedOnPaperIsHandedOverByAClinicAdministrator() throws Exception {
        HttpServer parts = parts();
        try (ConfigurableApplicationContext service = start("copy-paper-" + UUID.randomUUID().toString().substring(0, 8),
                                                            settings(parts))) {
            Http admin = new Http(port(service)).withToken(TestIssuer.shared().clinicAdmin());
            String client = new ConsentApi(new Http(port(service)).withToken(TestIssuer.shared().practitioner()))
                    .register(TestIssuer.CLINIC);
            String requests = "/api/clients/" + client + "/copy-requests";
            Http.Response asked = admin.post(requests, "{\"receivedOn\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}");
            assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
            JsonNode produced = await().atMost(Duration.ofSeconds(60)).until(
                    () -> admin.get(requests).body().get("requests").get(0),
                    r -> r.get("status").asString().equals("PRODUCED"));
            Http.Response document = admin.get(produced.get("downloads").get("document").asString());
            assertThat(document.status()).as(document.raw().body()).isEqualTo(200);
            assertThat(document.raw().body()).contains("Your record", "Still point");
            assertThat(document.header("Copy-Downloads-Left")).isEqualTo("4");
            // the practitioner does not hand copies over; the client's own view holds no link for a paper request
            RefusalCheck.problem(new Http(port(service)).withToken(TestIssuer.shared().practitioner())
                                         .get(produced.get("downloads").get("bundle").asString()), 403,
                                 "role-not-allowed");

            // a copy the client asked for in their view is theirs alone
            Http me = new Http(port(service)).withToken(clientToken(client));
            String own = me.post("/api/me/copy-requests", "").body().get("requestId").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> me.get("/api/me/copy-requests").body().get("requests")
                    .values().stream().anyMatch(r -> r.get("requestId").asString().equals(own)
                            && r.get("status").asString().equals("PRODUCED")));
            RefusalCheck.problem(admin.get(requests + "/" + own + "/bundle"), 403, "copy-asked-in-client-view");
            RefusalCheck.problem(admin.get(requests + "/" + UUID.randomUUID() + "/bundle"), 404,
                                 "copy-request-not-found");
        } finally {
            parts.stop(0);
        }
    }

    private HttpServer parts() throws IOException {
        HttpServer parts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        parts.createContext("/copies/", this::part);
        parts.start();
        return parts;
    }

    private static String[] settings(HttpServer parts) {
        String base = "http://127.0.0.1:" + parts.getAddress().getPort();
        List<String> settings = new ArrayList<>(ServiceBeside.copyParts(base, base, base));
        settings.add("--stillpoint.copies.check-interval=200ms");
        return settings.toArray(String[]::new);
    }

    /**
     * The other services' parts: the first call to the referrals part — after the sessions, whose stretches the first
     * instance stores — waits until the first instance has stopped.
     */
    private void part(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String part = path.substring(path.lastIndexOf('/') + 1);
        if (holdFirstReferrals && part.equals("referrals") && referralCalls.getAndIncrement() == 0) {
            firstCallHeld.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            String lines = switch (part) {
                case "sessions" -> "{\"part\":\"sessions\",\"notes\":\"shown\"}\n"
                        + ("header=only".equals(exchange.getRequestURI().getQuery()) ? "" : sessions());
                case "accesses" -> "{\"part\":\"accesses\",\"personShown\":true}\n";
                case "disclosures" -> "{\"part\":\"disclosures\",\"since\":\"2020-12-01T00:00:00Z\"}\n";
                default -> "{\"part\":\"" + part + "\"}\n";
            };
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        } catch (IOException gone) {
            // the first instance stopped listening: what it asked for is no longer wanted
        }
    }

    private static String sessions() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < SESSIONS; i++) {
            lines.append("""
                    {"sessionId":"s%d","clinicId":"harbour-street","practitioner":"pat",\
                    "startedAt":"2026-11-03T14:00:00Z","durationMinutes":60,"modalities":["CRANIOSACRAL_THERAPY"],\
                    "status":"SIGNED","note":{"techniques":"Still point","observations":"%s"},"drafts":[],\
                    "amendments":[],"signedAt":"2026-11-03T15:00:00Z","signedBy":"pat","lateEntry":false}
                    """.formatted(i, "Settled with unwinding at the occiput. ".repeat(25)));
        }
        return lines.toString();
    }

    private static ConfigurableApplicationContext start(String database, String... settings) {
        return ServiceBeside.start(ConsentServiceApplication.class, Backends.shared().mongoConnectionString(), database,
                                   Backends.shared().kafkaBootstrapServers(), settings);
    }

    private static int port(ConfigurableApplicationContext service) {
        return Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
    }

    private static String clientToken(String clientId) {
        return TestIssuer.shared().minter().mintClient("client-" + clientId.substring(0, 8), TestIssuer.ORGANISATION,
                                                       clientId, Duration.ofHours(1));
    }
}
