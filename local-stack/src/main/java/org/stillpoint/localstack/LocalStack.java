package org.stillpoint.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The whole suite on one machine: a file-backed MongoDB-wire server (in this process), a KRaft Kafka broker (a process of
 * its own) and each service (a process of its own), all on 127.0.0.1, all data under one folder that survives restarts.
 * Stopping it stops every part, services first.
 */
public final class LocalStack implements AutoCloseable {

    /** The ports the stack listens on. */
    public record Ports(int kafka, int kafkaController, int mongo) {

        public static final Ports DEFAULT = new Ports(9092, 9093, 27017);
    }

    /**
     * A service to run: {@code java -jar jar} with the backends' addresses in its environment, in the {@code local}
     * profile (tokens from the gateway's dev issuer).
     *
     * @param health the path answering 200 once the service is ready
     */
    public record Service(String name, Path jar, int port, String health) {
    }

    /** The logging configuration of the launcher and the broker process, on the launcher's class path. */
    public static final String LOGGING = "stillpoint-launcher-logback.xml";
    private static final Duration KAFKA_START = Duration.ofSeconds(120);
    private static final Duration SERVICE_START = Duration.ofSeconds(240);
    private static final Duration STOP = Duration.ofSeconds(30);
    /** A part that ends by itself is started again at most this many times, waiting twice as long before each. */
    public static final int RESTARTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /**
     * The memory settings of every part it starts: a heap that gives back what it does not use ({@code Serial}, small
     * initial heap, at most 30% of it free after a collection), thread stacks of 512 KiB and a bounded code cache. The
     * bench's M1/M2 rows measure the whole stack with them (docs/benchmarks.md).
     */
    static final List<String> MEMORY = List.of("-XX:+UseSerialGC", "-Xms32m", "-XX:MinHeapFreeRatio=10",
                                               "-XX:MaxHeapFreeRatio=30", "-Xss512k",
                                               "-XX:ReservedCodeCacheSize=64m");

    private final Path dataDir;
    private final Ports ports;
    private final List<Service> services;
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private EmbeddedMongoServer mongo;
    private Process kafka;

    public LocalStack(Path dataDir, Ports ports, List<Service> services) {
        this.dataDir = dataDir.toAbsolutePath();
        this.ports = ports;
        this.services = List.copyOf(services);
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + ports.kafka();
    }

    public String mongoConnectionString() {
        return "mongodb://127.0.0.1:" + ports.mongo();
    }

    public Path logs() {
        return dataDir.resolve("logs");
    }

    /** Starts every part, in order, and returns once each of them answers. */
    public synchronized void start() {
        List<String> busy = new ArrayList<>();
        checkFree("Kafka", ports.kafka(), busy);
        checkFree("Kafka controller", ports.kafkaController(), busy);
        checkFree("MongoDB", ports.mongo(), busy);
        services.forEach(s -> checkFree(s.name(), s.port(), busy));
        if (!busy.isEmpty()) {
            throw new IllegalStateException("ports in use: " + String.join(", ", busy)
                                                    + " (is another Stillpoint stack or a local MongoDB/Kafka running?)");
        }
        try {
            Files.createDirectories(logs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mongo = new EmbeddedMongoServer(dataDir.resolve("mongo/stillpoint.mv"), ports.mongo());
        mongo.start();

        startKafka();
        for (Service service : services) {
            if (!Files.isRegularFile(service.jar())) {
                throw new IllegalStateException(service.name() + " is not built: " + service.jar() + " is missing");
            }
            startService(service);
        }
    }

    private void startKafka() {
        List<String> command = jvm("256m");
        command.addAll(List.of("-Dlogback.configurationFile=" + LOGGING, "-Dstillpoint.log.level=INFO", "-cp",
                               System.getProperty("java.class.path"), KafkaBrokerMain.class.getName(),
                               dataDir.resolve("kafka").toString(), Integer.toString(ports.kafka()),
                               Integer.toString(ports.kafkaController())));
        kafka = spawn("kafka", command, Map.of());
        awaitReady("kafka", kafka, KAFKA_START, () -> accepts(ports.kafka()));
    }

    private void startService(Service service) {
        List<String> command = jvm("384m");
        command.addAll(List.of("-jar", service.jar().toString()));
        Process process = spawn(service.name(), command,
                                Map.of("SPRING_PROFILES_ACTIVE", "local",
                                       "PORT", Integer.toString(service.port()),
                                       "MONGODB_URI", mongoConnectionString(),
                                       "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers()));
        running.put(service.name(), process);
        awaitReady(service.name(), process, SERVICE_START, () -> healthy(service));
    }

    /**
     * Starts again, once, every part that ended by itself (a crash, a kill), after a backoff that doubles with each
     * restart of that part; the data folder keeps what it had, so the part carries on where it stopped.
     *
     * @return a line per part restarted
     * @throws IllegalStateException when a part ended {@value #RESTARTS} times already, or does not come back
     */
    public synchronized List<String> supervise() {
        List<String> restarted = new ArrayList<>();
        if (kafka != null && !kafka.isAlive()) {
            backOff("kafka", kafka.exitValue());
            startKafka();
            restarted.add(restartedLine("kafka"));
        }
        for (Service service : services) {
            Process process = running.get(service.name());
            if (process != null && !process.isAlive()) {
                backOff(service.name(), process.exitValue());
                startService(service);
                restarted.add(restartedLine(service.name()));
            }
        }
        return restarted;
    }

    /** The process of a running part, by name ({@code kafka} or a service's). */
    public synchronized Optional<ProcessHandle> process(String name) {
        Process process = "kafka".equals(name) ? kafka : running.get(name);
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    private void backOff(String name, int exit) {
        int count = restarts.merge(name, 1, Integer::sum);
        if (count > RESTARTS) {
            throw new IllegalStateException(name + " ended by itself " + RESTARTS + " times (last exit " + exit
                                                    + "); not starting it again. See " + logs().resolve(name + ".log"));
        }
        try {
            Thread.sleep(FIRST_BACKOFF.multipliedBy(1L << (count - 1)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting " + name, e);
        }
    }

    private String restartedLine(String name) {
        return name + " had ended (see " + logs().resolve(name + ".log") + "); restarted, attempt " + restarts.get(name)
                + " of " + RESTARTS;
    }

    /** The first part that ended on its own, if any. */
    public synchronized Optional<String> exited() {
        if (kafka != null && !kafka.isAlive()) {
            return Optional.of("kafka");
        }
        return running.entrySet().stream().filter(e -> !e.getValue().isAlive()).map(Map.Entry::getKey).findFirst();
    }

    /** Stops the services, then the broker, then the store. */
    @Override
    public synchronized void close() {
        List<String> names = new ArrayList<>(running.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            stop(running.remove(names.get(i)));
        }
        stop(kafka);
        kafka = null;
        if (mongo != null) {
            mongo.stop();
            mongo = null;
        }
    }

    private Process spawn(String name, List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        // two malloc arenas instead of eight per core: the many threads of a JVM otherwise each grow one
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs().resolve(name + ".log").toFile()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    private void awaitReady(String name, Process process, Duration timeout, Check ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.passes()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended during start-up (exit " + process.exitValue() + "):\n"
                                                        + tail(name));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail(name));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(logs().resolve(name + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The start of a part's command line: this JVM's {@code java}, the heap at most {@code maxHeap}, {@link #MEMORY}. */
    private static List<String> jvm(String maxHeap) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + maxHeap));
        command.addAll(MEMORY);
        return command;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                                                                   .toString());
    }

    private static void checkFree(String name, int port, List<String> busy) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            busy.add(port + " (" + name + ")");
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean healthy(Service service) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + service.health()))
                               .timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean passes();
    }
}
