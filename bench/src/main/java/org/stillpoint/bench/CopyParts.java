package org.stillpoint.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.stillpoint.testsupport.ServiceBeside;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The other services' parts of one large client's copy, for B14: session-, referral- and audit-service's answer shapes
 * as newline-delimited JSON, streamed as those services stream them — {@code sessions} sessions with notes of about a
 * kilobyte, as many accesses, no referral, no disclosure. What B14 measures is consent-service making the copy beside
 * other clients' writes; the parts' own services are measured by their rows.
 */
final class CopyParts implements AutoCloseable {

    private final HttpServer server;
    private final int sessions;

    private CopyParts(int sessions) {
        this.sessions = sessions;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/copies/", this::part);
        server.start();
    }

    static CopyParts serving(int sessions) {
        return new CopyParts(sessions);
    }

    /** The settings that send consent-service here for every part but its own. */
    List<String> settings() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return ServiceBeside.copyParts(base, base, base);
    }

    private void part(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String part = path.substring(path.lastIndexOf('/') + 1);
        boolean headerOnly = "header=only".equals(exchange.getRequestURI().getQuery());
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            switch (part) {
                case "sessions" -> {
                    line(out, "{\"part\":\"sessions\",\"notes\":\"shown\"}");
                    for (int i = 0; i < (headerOnly ? 0 : sessions); i++) {
                        line(out, session(i));
                    }
                }
                case "accesses" -> {
                    line(out, "{\"part\":\"accesses\",\"personShown\":true}");
                    for (int i = 0; i < sessions; i++) {
                        line(out, "{\"at\":\"" + Instant.ofEpochSecond(1_780_000_000L + i) + "\",\"service\":"
                                + "\"session-service\",\"action\":\"READ\",\"outcome\":\"ALLOWED\",\"clinics\":"
                                + "[\"harbour-street\"],\"roles\":[\"PRACTITIONER\"],\"person\":\"pat\",\"what\":"
                                + "\"the session of 3 December 2026\"}");
                    }
                }
                case "disclosures" -> line(out, "{\"part\":\"disclosures\",\"since\":\"2020-12-01T00:00:00Z\"}");
                default -> line(out, "{\"part\":\"" + part + "\"}");
            }
        }
    }

    private static String session(int i) {
        String note = "Settled quickly; restriction at the occiput eased with unwinding. ".repeat(8);
        return "{\"sessionId\":\"" + UUID.nameUUIDFromBytes(("s" + i).getBytes(StandardCharsets.UTF_8))
                + "\",\"clinicId\":\"harbour-street\",\"practitioner\":\"pat\",\"startedAt\":\""
                + Instant.ofEpochSecond(1_700_000_000L + 86_400L * i) + "\",\"durationMinutes\":60,"
                + "\"modalities\":[\"CRANIOSACRAL_THERAPY\"],\"status\":\"SIGNED\",\"note\":{\"clientReported\":"
                + "\"Headaches since the move\",\"observations\":\"" + note + "\",\"techniques\":\"Still point\","
                + "\"clientResponse\":\"Calmer\"},\"drafts\":[],\"signedAt\":\""
                + Instant.ofEpochSecond(1_700_003_600L + 86_400L * i) + "\",\"signedBy\":\"pat\",\"amendments\":[],"
                + "\"lateEntry\":false,\"recordedAt\":\"" + Instant.ofEpochSecond(1_700_003_600L + 86_400L * i)
                + "\",\"recordedBy\":\"pat\"}";
    }

    private static void line(OutputStream out, String json) throws IOException {
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
