package org.stillpoint.delivery.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Webhook endpoints on loopback, each at {@code /hooks/<name>}, answering as a test tells it to: with a status, or
 * after hanging for a while. Every request is kept as it arrived.
 */
final class Receiver implements AutoCloseable {

    /** A request as it arrived. */
    record Received(String endpoint, byte[] body, Map<String, List<String>> headers) {

        String webhookId() {
            return headers.get("webhook-id").getFirst();
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, Duration> hangs = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks/", this::handle);
        server.start();
    }

    String url(String endpoint) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + endpoint;
    }

    /** What {@code endpoint} answers from now on (204 until told otherwise). */
    void answer(String endpoint, int status) {
        statuses.put(endpoint, status);
        hangs.remove(endpoint);
    }

    /** {@code endpoint} holds every request this long before it answers. */
    void hang(String endpoint, Duration duration) {
        hangs.put(endpoint, duration);
    }

    List<Received> at(String endpoint) {
        return received.stream().filter(r -> r.endpoint().equals(endpoint)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String endpoint = exchange.getRequestURI().getPath().substring("/hooks/".length());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                                                                                new ArrayList<>(values)));
            Duration hang = hangs.get(endpoint);
            if (hang != null) {
                try {
                    Thread.sleep(hang);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = statuses.getOrDefault(endpoint, 204);
            if (status >= 200 && status < 300) {
                received.add(new Received(endpoint, body, headers));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
