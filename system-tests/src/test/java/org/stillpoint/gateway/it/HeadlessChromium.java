package org.stillpoint.gateway.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol: it loads pages, fills in and submits forms, reads what
 * the pages show, their cookies, and takes screenshots; it can also send a bearer token with every request, as a
 * client in front of the API would. Nothing is downloaded.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    HeadlessChromium() throws IOException, InterruptedException {
        profile = Files.createTempDirectory("chromium-profile");
        process = new ProcessBuilder(List.of(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                                             "--disable-quic", "--no-first-run", "--disable-background-networking",
                                             "--disable-component-update", "--disable-sync",
                                             "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"))
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(activePort) || Files.readAllLines(activePort).size() < 2) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("Chromium did not open its DevTools port: "
                                                        + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(activePort).getFirst().trim());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                                                   HttpResponse.BodyHandlers.ofString()).body());
        String page = targets.values().stream().filter(t -> t.get("type").asString().equals("page")).findFirst()
                             .orElseThrow().get("webSocketDebuggerUrl").asString();
        socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).join();
    }

    /** Loads {@code url} and waits for the page's load event. */
    void open(String url) throws Exception {
        call("Page.enable", Map.of());
        call("Network.enable", Map.of());
        events.clear();
        call("Page.navigate", Map.of("url", url));
        awaitLoad();
    }

    /** Clicks the first element matching {@code selector} and waits for the page it leads to. */
    void click(String selector) throws Exception {
        events.clear();
        text("document.querySelector('" + selector + "').click(), ''");
        awaitLoad();
    }

    /** Types {@code value} into the field matching {@code selector}, replacing what it held. */
    void type(String selector, String value) throws Exception {
        call("Runtime.evaluate", Map.of("expression", "document.querySelector('" + selector + "').value = "
                + JSON.writeValueAsString(value), "returnByValue", true));
    }

    /** The value of a JavaScript expression in the page (a promise's once it settles), as text. */
    String text(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                                                          "awaitPromise", true));
        return result.path("result").path("value").asString("");
    }

    /** The path and query of the page shown. */
    String location() throws Exception {
        return text("location.pathname + location.search");
    }

    /** The browser's cookies for the page shown, as the DevTools protocol describes them. */
    List<JsonNode> cookies() throws Exception {
        return call("Network.getCookies", Map.of()).path("cookies").values().stream().toList();
    }

    /** axe-core, from npm ({@code system-tests/axe}: {@code npm ci} there), which {@link #violations()} runs. */
    static final Path AXE = Path.of("axe/node_modules/axe-core/axe.min.js");

    static boolean axeInstalled() {
        return Files.isReadable(AXE);
    }

    /**
     * The serious and critical accessibility violations axe-core finds on the page shown (WCAG 2.x A and AA rules and
     * axe's best practices), each as "rule (impact): what it asks — where".
     */
    List<String> violations() throws Exception {
        call("Runtime.evaluate", Map.of("expression", Files.readString(AXE), "returnByValue", true));
        String found = text("""
                axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                              + v.nodes.map(n => n.target.join(' ')).join(', '))))
                """);
        return List.of(JSON.readValue(found.isEmpty() ? "[\"axe-core did not answer\"]" : found, String[].class));
    }

    /**
     * Presses Tab {@code times} times from the top of the page, as a keyboard user would, and answers what held the
     * focus after each press (tag, id and text), marked when the focused element showed no focus indicator.
     */
    List<String> tabThrough(int times) throws Exception {
        text("document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), ''");
        List<String> focused = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            key("Tab", 9);
            focused.add(text("""
                    (() => { const e = document.activeElement; if (!e || e === document.body) return 'body';
                      const s = getComputedStyle(e);
                      const seen = (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none';
                      return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ':'
                        + (e.innerText || e.value || e.name || e.getAttribute('aria-label') || '').trim().slice(0, 40)
                        + (seen ? '' : ' [no visible focus]'); })()
                    """));
        }
        return focused;
    }

    /** Presses Enter on what holds the focus and waits for the page it leads to. */
    void enter() throws Exception {
        events.clear();
        key("Enter", 13);
        awaitLoad();
    }

    private void key(String key, int code) throws Exception {
        call("Input.dispatchKeyEvent", Map.of("type", "rawKeyDown", "key", key, "code", key,
                                              "windowsVirtualKeyCode", code, "nativeVirtualKeyCode", code));
        if (code == 13) {
            call("Input.dispatchKeyEvent", Map.of("type", "char", "key", key, "text", "\r"));
        }
        call("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", key, "code", key,
                                              "windowsVirtualKeyCode", code, "nativeVirtualKeyCode", code));
    }

    /** Saves what the page shows, the whole page at 1280 pixels wide, as a PNG. */
    void screenshot(Path file) throws Exception {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1,
                                                          "mobile", false));
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asString()));
    }

    private void awaitLoad() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String event = events.poll(200, TimeUnit.MILLISECONDS);
            if ("Page.loadEventFired".equals(event)) {
                return;
            }
        }
        throw new IllegalStateException("the page did not load");
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
        JsonNode reply = answer.get(30, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = JSON.readTree(partial.toString());
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> answer = answers.remove(message.get("id").asInt());
                    if (answer != null) {
                        answer.complete(message);
                    }
                } else if (message.has("method")) {
                    events.add(message.get("method").asString());
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
