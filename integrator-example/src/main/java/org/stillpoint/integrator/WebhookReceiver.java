package org.stillpoint.integrator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An integrator's webhook endpoint for Stillpoint's push delivery, with nothing but the JDK's HTTP server, the
 * Standard Webhooks reference implementation, Jackson and a JOSE library (docs/INTEGRATORS.md, "Webhooks").
 * <p>
 * Each message is taken only when both its signatures hold ({@link WebhookMessages}); a message whose
 * {@code webhook-id} it took before is answered {@code 204} again and not applied twice (the ids it took are kept in
 * {@code --seen}, a file it appends to before it answers, so a receiver stopped at any moment and started again applies
 * nothing twice). Applying a message here is printing one line; a real receiver writes to its own store in the same
 * step as the id. It answers {@code 401} for a webhook signature that does not hold, {@code 422} for a record
 * signature that does not (Stillpoint tries again for a day and then pauses the subscription: someone should look),
 * {@code 503} when it cannot fetch the keys to check a record (it is tried again).
 *
 * <pre>
 * java -cp … org.stillpoint.integrator.WebhookReceiver --port 8099 --secret whsec_… \
 *      --jwks-uri 'https://stillpoint.example.org/.well-known/stillpoint/{service}/jwks.json' --seen seen.txt
 * </pre>
 * The secret may come from {@code STILLPOINT_WEBHOOK_SECRET} instead of the command line. It listens on loopback at
 * {@code /hooks} and runs until stopped.
 */
public final class WebhookReceiver {

    private final WebhookMessages messages;
    private final Path seenFile;
    private final Set<String> seen = new HashSet<>();

    WebhookReceiver(WebhookMessages messages, Path seenFile) throws IOException {
        this.messages = messages;
        this.seenFile = seenFile;
        if (Files.exists(seenFile)) {
            seen.addAll(Files.readAllLines(seenFile));
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        String secret = options.getOrDefault("secret", System.getenv("STILLPOINT_WEBHOOK_SECRET"));
        if (secret == null || !options.containsKey("jwks-uri")) {
            System.err.println("usage: WebhookReceiver --port 8099 --secret whsec_… --jwks-uri <url with {service}> "
                                       + "[--seen seen.txt]");
            System.exit(2);
            return;
        }
        int port = Integer.parseInt(options.getOrDefault("port", "8099"));
        WebhookReceiver receiver = new WebhookReceiver(new WebhookMessages(secret, options.get("jwks-uri")),
                                                       Path.of(options.getOrDefault("seen", "seen.txt")));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/hooks", receiver::handle);
        server.start();
        System.out.println("listening at http://127.0.0.1:" + port + "/hooks");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(1 << 20);
            }
            exchange.sendResponseHeaders(take(body, headers(exchange)), -1);
        }
    }

    /** The status to answer for a message: applied or seen before 204, refused 401 or 422, keys unreachable 503. */
    synchronized int take(byte[] body, Map<String, List<String>> headers) {
        WebhookMessages.Message message;
        try {
            message = messages.check(body, headers);
        } catch (WebhookMessages.Refused refused) {
            System.out.println("refused: " + refused.getMessage());
            return refused.reason().equals("webhook-signature") ? 401 : 422;
        } catch (IOException e) {
            System.out.println("could not check the record's signature now (" + e.getMessage() + "): asked again later");
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
        if (seen.contains(message.webhookId())) {
            System.out.println("duplicate " + message.webhookId() + ": applied before, skipped");
            return 204;
        }
        try {
            Files.writeString(seenFile, message.webhookId() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                              StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("could not keep the id (" + e.getMessage() + "): asked again later");
            return 503;
        }
        seen.add(message.webhookId());
        System.out.println("applied " + message.type() + " client " + message.clientKey()
                                   + (message.sequence() == null ? "" : " #" + message.sequence()) + " ("
                                   + message.webhookId() + ")");
        return 204;
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                                                                            new ArrayList<>(values)));
        return headers;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
