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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole suite on one machine: a file-backed MongoDB-wire server (in this process), a KRaft Kafka broker (a process of
 * its own) — or a cluster of three, each a process of its own, every topic with three replicas and
 * {@code min.insync.replicas} 2 — and each service (a process of its own), all on 127.0.0.1, all data under one folder
 * that survives restarts. Stopping it stops every part, services first.
 */
public final class LocalStack implements AutoCloseable {

    /** The ports the stack listens on. */
    public record Ports(int kafka, int kafkaController, int mongo) {

        public static final Ports DEFAULT = new Ports(9092, 9093, 27017);

        /** Every default port moved by {@code offset}: a second stack beside the first, on other ports. */
        public static Ports offset(int offset) {
            return new Ports(DEFAULT.kafka() + offset, DEFAULT.kafkaController() + offset, DEFAULT.mongo() + offset);
        }
    }

    /**
     * A service to run: {@code java -jar jar} with the backends' addresses in its environment, in the {@code local}
     * profile (tokens from the gateway's dev issuer).
     *
     * @param health      the path answering 200 once the service is ready
     * @param environment what the service is told besides the backends' addresses (where the others are)
     */
    public record Service(String name, Path jar, int port, String health, Map<String, String> environment) {

        public Service {
            environment = Map.copyOf(environment);
        }

        public Service(String name, Path jar, int port, String health) {
            this(name, jar, port, health, Map.of());
        }
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
    /**
     * Every part compiles with the JIT's first tier only: seven JVMs starting side by side on a laptop's cores spent
     * most of their start in the optimising compiler's threads. A local stack is started often and loaded lightly; a
     * deployment's images keep the full JIT (deploy/).
     */
    static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final Ports ports;
    private final List<Service> services;
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private final int kafkaBrokers;
    private final Map<String, Process> brokers = new LinkedHashMap<>();
    private EmbeddedMongoServer mongo;

    public LocalStack(Path dataDir, Ports ports, List<Service> services) {
        this(dataDir, ports, services, 1);
    }

    /**
     * @param kafkaBrokers 1, or 3 for a cluster: node n listens on {@code ports.kafka() + 2(n-1)}, its controller on the
     *                     port after it
     */
    public LocalStack(Path dataDir, Ports ports, List<Service> services, int kafkaBrokers) {
        if (kafkaBrokers != 1 && kafkaBrokers != 3) {
            throw new IllegalArgumentException("the local stack runs 1 Kafka broker or a cluster of 3, not " + kafkaBrokers);
        }
        this.dataDir = dataDir.toAbsolutePath();
        this.ports = ports;
        this.services = List.copyOf(services);
        this.kafkaBrokers = kafkaBrokers;
    }

    public String kafkaBootstrapServers() {
        List<String> servers = new ArrayList<>();
        for (int node = 1; node <= kafkaBrokers; node++) {
            servers.add("127.0.0.1:" + brokerPort(node));
        }
        return String.join(",", servers);
    }

    private int brokerPort(int node) {
        return ports.kafka() + 2 * (node - 1);
    }

    private int controllerPort(int node) {
        return node == 1 ? ports.kafkaController() : ports.kafka() + 2 * (node - 1) + 1;
    }

    private String brokerName(int node) {
        return kafkaBrokers == 1 ? "kafka" : "kafka-" + node;
    }

    public String mongoConnectionString() {
        return "mongodb://127.0.0.1:" + ports.mongo();
    }

    public Path logs() {
        return dataDir.resolve("logs");
    }

    /** Starts every part, in order, and returns once each of them answers. */
    public void start() {
        start(line -> { });
    }

    /**
     * Starts every part, in order, and returns once each of them answers, telling {@code progress} a line for each
     * part as it comes up.
     */
    public synchronized void start(Consumer<String> progress) {
        long started = System.nanoTime();
        List<String> busy = new ArrayList<>();
        for (int node = 1; node <= kafkaBrokers; node++) {
            String kafka = kafkaBrokers == 1 ? "Kafka" : "Kafka node " + node;
            checkFree(kafka, brokerPort(node), busy);
            checkFree(kafka + " controller", controllerPort(node), busy);
        }
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
        progress.accept(String.format(Locale.ROOT, "  %-17s %s, in this process (the embedded MongoDB-wire server: it "
                + "keeps unique indexes only, the others serve a real MongoDB)", "store", mongoConnectionString()));

        for (int node = 1; node <= kafkaBrokers; node++) {
            spawnBroker(node);
        }
        for (int node = 1; node <= kafkaBrokers; node++) {
            int port = brokerPort(node);
            awaitReady(brokerName(node), brokers.get(brokerName(node)), KAFKA_START, () -> accepts(port));
            progress.accept(ready(brokerName(node), started));
        }
        for (Service service : services) {
            if (!Files.isRegularFile(service.jar())) {
                throw new IllegalStateException(service.name() + " is not built: " + service.jar() + " is missing");
            }
        }
        // the services start side by side (none waits for another at start-up), and each is awaited until it answers
        services.forEach(this::spawnService);
        for (Service service : services) {
            awaitReady(service.name(), running.get(service.name()), SERVICE_START, () -> healthy(service));
            progress.accept(ready(service.name(), started));
        }
    }

    private static String ready(String part, long started) {
        return String.format(Locale.ROOT, "  %-17s ready (%d s)", part,
                             Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private void spawnBroker(int node) {
        List<String> command = jvm("256m");
        command.addAll(List.of("-Dlogback.configurationFile=" + LOGGING, "-Dstillpoint.log.level=INFO", "-cp",
                               System.getProperty("java.class.path"), KafkaBrokerMain.class.getName()));
        if (kafkaBrokers == 1) {
            command.addAll(List.of(dataDir.resolve("kafka").toString(), Integer.toString(ports.kafka()),
                                   Integer.toString(ports.kafkaController())));
        } else {
            List<String> voters = new ArrayList<>();
            for (int n = 1; n <= kafkaBrokers; n++) {
                voters.add(n + "@127.0.0.1:" + controllerPort(n));
            }
            command.addAll(List.of(dataDir.resolve("kafka-cluster/node-" + node).toString(),
                                   Integer.toString(brokerPort(node)), Integer.toString(controllerPort(node)),
                                   Integer.toString(node), String.join(",", voters), clusterId(),
                                   Integer.toString(kafkaBrokers)));
        }
        brokers.put(brokerName(node), spawn(brokerName(node), command, Map.of()));
    }

    /** The cluster's id, made once and kept with its data, so that a restart joins the same cluster. */
    private String clusterId() {
        Path file = dataDir.resolve("kafka-cluster/cluster.id");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, org.apache.kafka.common.Uuid.randomUuid().toString());
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startService(Service service) {
        spawnService(service);
        awaitReady(service.name(), running.get(service.name()), SERVICE_START, () -> healthy(service));
    }

    private void spawnService(Service service) {
        List<String> command = jvm("384m");
        command.addAll(List.of("-jar", service.jar().toString()));
        Map<String, String> environment = new LinkedHashMap<>(Map.of("SPRING_PROFILES_ACTIVE", "local",
                                                                     "PORT", Integer.toString(service.port()),
                                                                     "MONGODB_URI", mongoConnectionString(),
                                                                     "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers()));
        environment.putAll(service.environment());
        if (kafkaBrokers > 1) {
            // as in production: every topic on every broker, a write acknowledged by two
            environment.put("STILLPOINT_PUBLICATION_REPLICAS", Integer.toString(kafkaBrokers));
            environment.put("STILLPOINT_PUBLICATION_MININSYNCREPLICAS", Integer.toString(kafkaBrokers - 1));
        }
        running.put(service.name(), spawn(service.name(), command, environment));
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
        for (int node = 1; node <= kafkaBrokers; node++) {
            Process broker = brokers.get(brokerName(node));
            if (broker != null && !broker.isAlive()) {
                backOff(brokerName(node), broker.exitValue());
                spawnBroker(node);
                int port = brokerPort(node);
                awaitReady(brokerName(node), brokers.get(brokerName(node)), KAFKA_START, () -> accepts(port));
                restarted.add(restartedLine(brokerName(node)));
            }
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
        Process process = brokers.containsKey(name) ? brokers.get(name) : running.get(name);
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
        Optional<String> broker = brokers.entrySet().stream().filter(e -> !e.getValue().isAlive()).map(Map.Entry::getKey)
                                         .findFirst();
        if (broker.isPresent()) {
            return broker;
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
        brokers.values().forEach(LocalStack::stop);
        brokers.clear();
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

    /**
     * The start of a part's command line: this JVM's {@code java}, the heap at most {@code maxHeap}, {@link #MEMORY},
     * {@link #QUICK_START}.
     */
    private static List<String> jvm(String maxHeap) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + maxHeap));
        command.addAll(MEMORY);
        command.addAll(QUICK_START);
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
