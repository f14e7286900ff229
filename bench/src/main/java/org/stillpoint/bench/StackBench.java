package org.stillpoint.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * M1 and M2: the memory of the local stack as a user starts it ({@code LocalStackMain}, the launcher with the store in
 * it, the broker and the five services, each its own process): the total resident set of its processes, idle and at
 * the peak of B2-new's load (registrations at consent-service, four callers), against a budget of 2 GiB. M3: those
 * registrations through the gateway against sent to consent-service directly.
 */
final class StackBench {

    static final double BUDGET_MIB = 2048;
    private static final Duration START = Duration.ofMinutes(6);
    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final int CALLERS = 4;

    private final Path root;
    private final Scale scale;
    private final Rounds rounds;
    private final int portOffset;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String section = "";

    /**
     * @param root       the repository, where the launcher and the services' jars are built
     * @param portOffset how far the stack's ports are moved from the defaults (0: the ports {@code ./stack.sh} uses)
     */
    StackBench(Path root, Scale scale, Rounds rounds, int portOffset) {
        this.root = root;
        this.scale = scale;
        this.rounds = rounds;
        this.portOffset = portOffset;
    }

    /** The repository holding the built launcher: the working folder or one of its parents. */
    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("local-stack/target/local-stack.jar"))) {
                return dir;
            }
        }
        throw new IllegalStateException("M1/M2 start the local stack: build it first (./mvnw -DskipTests package), "
                                                + "local-stack/target/local-stack.jar is missing");
    }

    /** The markdown section of the last run: each process's memory, idle and under load. */
    String section() {
        return section;
    }

    List<Row> run() {
        Path data;
        try {
            data = Files.createTempDirectory("stillpoint-bench-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process launcher = launch(data);
        // a bench stopped half-way (Ctrl-C) stops the stack it started too
        Thread stopStack = new Thread(() -> stop(launcher), "bench-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopStack);
        try {
            awaitRunning(launcher, data.resolve("launcher.log"));
            // let start-up's garbage settle, as a stack left alone does
            pause(Duration.ofSeconds(5));
            Map<String, Long> idle = residentKiB(launcher);
            Load load = load(Duration.ofSeconds(scale == Scale.FULL ? 12 : 6), launcher);
            double idleMiB = total(idle) / 1024.0;
            double loadMiB = total(load.peak()) / 1024.0;
            section = section(idle, load);
            Row m1 = rounds.compare("M1", "local stack idle: total resident memory of its " + idle.size()
                                            + " processes", "a budget of 2 GiB", "MiB", Rounds.Kind.TIME, 1.0,
                                    "ratio = budget ÷ resident set, so 1.0 is exactly 2 GiB; each process under "
                                            + "“Memory of the local stack”",
                                    List.of(idleMiB), List.of(BUDGET_MIB));
            Row m2 = rounds.compare("M2", "local stack at the peak of B2-new's load (" + CALLERS + " callers at "
                                            + "consent-service): total resident memory", "a budget of 2 GiB", "MiB",
                                    Rounds.Kind.TIME, 1.0,
                                    String.format(Locale.ROOT, "%.1f registrations/s during the load, p99 %.1f ms; "
                                            + "the peak of samples every 500 ms", load.perSecond(), load.p99Ms()),
                                    List.of(loadMiB), List.of(BUDGET_MIB));
            return List.of(m1, m2, throughTheGateway(launcher));
        } finally {
            stop(launcher);
            try {
                Runtime.getRuntime().removeShutdownHook(stopStack);
            } catch (IllegalStateException stopping) {
                // the JVM is stopping: the hook runs anyway, and finds the stack stopped
            }
        }
    }

    private Process launch(Path data) {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = root.resolve("local-stack/target/local-stack.jar") + java.io.File.pathSeparator
                + root.resolve("local-stack/target/lib/*");
        try {
            ProcessBuilder launcher = new ProcessBuilder(
                    javaCommand, "-Xmx256m", "-Dlogback.configurationFile=stillpoint-launcher-logback.xml", "-cp",
                    classPath, "org.stillpoint.localstack.LocalStackMain", "--data", data.resolve("stack").toString(),
                    "--root", root.toString(), "--port-offset", Integer.toString(portOffset));
            // the load's callers (bench-0, bench-1, ...: a service allows one subject 20 requests a second) are in no
            // directory: the services decide them on their tokens, as this setting says, and still read the directory
            // topic to its end before each decision, so its cost is measured
            launcher.environment().put("STILLPOINT_DIRECTORY_UNKNOWN_CALLERS", "trust-token");
            return launcher.redirectErrorStream(true).redirectOutput(data.resolve("launcher.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitRunning(Process launcher, Path log) {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            String output = read(log);
            if (output.contains("Stillpoint is running")) {
                return;
            }
            if (!launcher.isAlive() || System.nanoTime() > deadline) {
                String said = read(log);
                // the launcher checks the stack's ports itself, and names those in use
                String hint = said.contains("ports in use") ? "\n(is ./stack.sh running? stop it, or leave the memory "
                        + "out with --only storage,kafka,service)" : "";
                throw new IllegalStateException("M1: the local stack did not start; its launcher said:\n"
                                                        + said.substring(Math.max(0, said.length() - 3_000)) + hint);
            }
            pause(Duration.ofMillis(500));
        }
    }

    /** Resident memory (KiB) of the launcher and every process it started, by name. */
    private static Map<String, Long> residentKiB(Process launcher) {
        Map<String, Long> resident = new LinkedHashMap<>();
        Stream.concat(Stream.of(launcher.toHandle()), launcher.descendants()).forEach(process -> {
            long kib = status(process.pid(), "VmRSS:");
            if (kib > 0) {
                resident.merge(name(process), kib, Long::sum);
            }
        });
        return resident;
    }

    private static String name(ProcessHandle process) {
        String command;
        try {
            // the whole command line: ProcessHandle.Info cuts a long one (the broker's class path) short
            command = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            command = String.join(" ", process.info().arguments().orElse(new String[0]));
        }
        Matcher jar = Pattern.compile("([a-z-]+)-exec\\.jar").matcher(command);
        if (jar.find()) {
            return jar.group(1);
        }
        if (command.contains("KafkaBrokerMain")) {
            return "kafka broker";
        }
        if (command.contains("LocalStackMain")) {
            return "launcher (and the MongoDB-wire store)";
        }
        return "process " + process.pid();
    }

    /** A field of {@code /proc/<pid>/status} in KiB, or 0 where there is none (a process that ended). */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private record Load(Map<String, Long> peak, double perSecond, double p99Ms) {
    }

    /** Registrations at consent-service by {@link #CALLERS} callers for {@code duration}, the memory sampled. */
    private Load load(Duration duration, Process launcher) {
        return load(duration, launcher, 8081 + portOffset);
    }

    /**
     * M3: the same registrations through the gateway (its token check, rate limit and proxying, then consent-service's)
     * against sent to consent-service directly, alternately, a few seconds each, {@link #CALLERS} callers.
     */
    private Row throughTheGateway(Process launcher) {
        Duration each = Duration.ofSeconds(scale == Scale.FULL ? 3 : 2);
        int times = Math.min(3, rounds.rounds());
        List<Double> direct = new ArrayList<>();
        List<Double> gateway = new ArrayList<>();
        List<Double> directP99 = new ArrayList<>();
        List<Double> gatewayP99 = new ArrayList<>();
        for (int r = 0; r < times; r++) {
            for (boolean viaGateway : r % 2 == 0 ? new boolean[]{false, true} : new boolean[]{true, false}) {
                Load load = load(each, launcher, (viaGateway ? 8080 : 8081) + portOffset);
                (viaGateway ? gateway : direct).add(load.perSecond());
                (viaGateway ? gatewayP99 : directP99).add(load.p99Ms());
            }
        }
        double gatewayMedianP99 = Rounds.median(gatewayP99.stream().mapToDouble(Double::doubleValue).toArray());
        double directMedianP99 = Rounds.median(directP99.stream().mapToDouble(Double::doubleValue).toArray());
        return rounds.compare("M3", "local stack: registrations through the gateway (" + CALLERS + " callers)",
                              "the same commands sent to consent-service directly", "commands/s", Rounds.Kind.RATE, 0.7,
                              String.format(Locale.ROOT, "p99 through the gateway %.1f ms, directly %.1f ms (%.1f×); "
                                      + "%d rounds of %d s each way, alternately", gatewayMedianP99, directMedianP99,
                                            gatewayMedianP99 / directMedianP99, times, each.toSeconds()),
                              gateway, direct);
    }

    /** Registrations at {@code port} by {@link #CALLERS} callers for {@code duration}, the memory sampled. */
    private Load load(Duration duration, Process launcher, int port) {
        // a token per caller and request in turn: a service allows one token 20 requests a second
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < CALLERS * 4; i++) {
            tokens.add(token("bench-" + i));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger done = new AtomicInteger();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> peak = residentKiB(launcher);
        long start = System.nanoTime();
        try (ExecutorService callers = Executors.newFixedThreadPool(CALLERS)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                int caller = i;
                workers.add(callers.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        long begin = System.nanoTime();
                        register(port, tokens.get(caller * 4 + n % 4));
                        latencies.add(System.nanoTime() - begin);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            long end = start + duration.toNanos();
            while (System.nanoTime() < end) {
                pause(Duration.ofMillis(500));
                Map<String, Long> now = residentKiB(launcher);
                if (total(now) > total(peak)) {
                    peak = now;
                }
            }
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(1, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("M2: the load failed", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double p99 = sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        return new Load(peak, done.get() / seconds, p99);
    }

    private String token(String subject) {
        String body = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (8080 + portOffset) + "/dev/tokens"))
                                      .header("Content-Type", "application/json")
                                      .POST(HttpRequest.BodyPublishers.ofString("""
                                              {"subject":"%s","organisation":"stillwater",
                                               "clinics":["harbour-street"],"roles":["PRACTITIONER"]}""".formatted(subject)))
                                      .build(), 200);
        Matcher matcher = TOKEN.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("M2: no token in " + body);
        }
        return matcher.group(1);
    }

    private void register(int port, String token) {
        String body = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/clients"))
                                      .header("Content-Type", "application/json")
                                      .header("Authorization", "Bearer " + token)
                                      .POST(HttpRequest.BodyPublishers.ofString(Fixtures.REGISTRATION))
                                      .build(), 201);
        if (Fixtures.clientIdIn(body).isEmpty()) {
            throw new IllegalStateException("M2: no client id in " + body);
        }
    }

    private String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                                                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the stack as Ctrl-C does (its launcher stops every part), then ends whatever is left. */
    private static void stop(Process launcher) {
        List<ProcessHandle> parts = launcher.descendants().toList();
        launcher.destroy();
        try {
            if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        parts.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String section(Map<String, Long> idle, Load load) {
        StringBuilder md = new StringBuilder("## Memory of the local stack\n\n");
        md.append("Resident set (VmRSS) of each process of `./stack.sh`, idle and at the peak of the load of M2 "
                          + "(shared pages, such as the JDK's class-data archive, count in each process).\n\n");
        md.append("| process | idle (MiB) | under load (MiB) |\n|---|---|---|\n");
        for (Map.Entry<String, Long> entry : idle.entrySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", entry.getKey(), entry.getValue() / 1024.0,
                                    load.peak().getOrDefault(entry.getKey(), 0L) / 1024.0));
        }
        md.append(String.format(Locale.ROOT, "| **total** | **%.0f** | **%.0f** |%n", total(idle) / 1024.0,
                                total(load.peak()) / 1024.0));
        return md.toString();
    }

    private static long total(Map<String, Long> resident) {
        return resident.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String read(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
