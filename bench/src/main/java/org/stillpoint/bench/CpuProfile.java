package org.stillpoint.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a command's CPU goes: the JVM's CPU time over a stretch of commands, divided per command; the JIT compiler's
 * and the garbage collector's time (from their management beans) taken out, the rest split by part from JDK Flight
 * Recorder's execution samples. Each sample goes to the part of the innermost frame that is not the
 * JDK's own (a {@code HashMap.get} inside the token check is the token check's); a sample with only JDK frames is the
 * JDK's (threads, sockets, GC helpers). The service, the embedded store and the bench's callers share this JVM, so the
 * callers' part is named as such.
 */
final class CpuProfile {

    /** Parts by the start of a class name, in the order they are tried. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("the bench's callers (its HTTP client)", List.of("jdk.internal.net.http.", "java.net.http.",
                                                                    "org.stillpoint.bench."));
        PARTS.put("token check and security filters", List.of("com.nimbusds.", "org.springframework.security.",
                                                              "org.stillpoint.security."));
        PARTS.put("HTTP server (Tomcat)", List.of("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat."));
        PARTS.put("JSON (Jackson)", List.of("com.fasterxml.jackson.", "tools.jackson."));
        PARTS.put("the store (embedded MongoDB-wire server, H2)", List.of("de.bwaldvogel.", "org.h2.", "io.netty."));
        PARTS.put("MongoDB driver and BSON", List.of("com.mongodb.", "org.bson."));
        PARTS.put("Axon (aggregates, processors, units of work)", List.of("org.axonframework."));
        PARTS.put("Kafka clients (publication)", List.of("org.apache.kafka.", "org.springframework.kafka."));
        PARTS.put("metrics and tracing", List.of("io.micrometer.", "io.opentelemetry."));
        PARTS.put("Stillpoint's own code", List.of("org.stillpoint."));
        PARTS.put("Spring (MVC, context, data)", List.of("org.springframework."));
    }

    private static final String JDK = "the JDK's own frames only (threads, sockets, locks)";
    private static final String OTHER = "other libraries";

    private static final String JIT = "the JIT compiler's threads";
    private static final String GC = "garbage collection";

    private final Recording recording = new Recording();
    private long cpuAtStart;
    private long jitAtStart;
    private long gcAtStart;

    /** Starts sampling (every 10 ms of a running thread) and notes the JVM's CPU time. */
    CpuProfile start() {
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.start();
        cpuAtStart = cpuNanos();
        jitAtStart = jitMillis();
        gcAtStart = gcMillis();
        return this;
    }

    /** Stops, and splits the CPU time since the start over {@code commands} by part; milliseconds per command. */
    Map<String, Double> perCommand(long commands) {
        long cpu = cpuNanos() - cpuAtStart;
        double jit = (jitMillis() - jitAtStart) / (double) commands;
        double gc = (gcMillis() - gcAtStart) / (double) commands;
        recording.stop();
        Map<String, Long> samples = new LinkedHashMap<>();
        PARTS.keySet().forEach(part -> samples.put(part, 0L));
        samples.put(OTHER, 0L);
        samples.put(JDK, 0L);
        try {
            Path file = Files.createTempFile("stillpoint-bench-", ".jfr");
            try {
                recording.dump(file);
                for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                    if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                        samples.merge(partOf(event.getStackTrace().getFrames()), 1L, Long::sum);
                    }
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recording.close();
        }
        long total = samples.values().stream().mapToLong(Long::longValue).sum();
        // the samples are of threads running Java code: the compiler's and the collector's time is taken out first
        double running = Math.max(0, cpu / 1e6 / commands - jit - gc);
        Map<String, Double> perCommand = new LinkedHashMap<>();
        samples.forEach((part, count) -> perCommand.put(part, total == 0 ? 0 : running * count / total));
        perCommand.put(JIT, jit);
        perCommand.put(GC, gc);
        return perCommand;
    }

    /** The part of the innermost frame that is not the JDK's; the callers' wherever their client is on the stack. */
    static String partOf(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("jdk.internal.net.http.") || type.startsWith("java.net.http.")) {
                return PARTS.keySet().iterator().next();
            }
        }
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (jdk(type)) {
                continue;
            }
            for (Map.Entry<String, List<String>> part : PARTS.entrySet()) {
                if (part.getValue().stream().anyMatch(type::startsWith)) {
                    return part.getKey();
                }
            }
            return OTHER;
        }
        return JDK;
    }

    private static boolean jdk(String type) {
        return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
                || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    /** The JIT compiler's threads' time since the JVM started, in milliseconds (0 where it is not measured). */
    static long jitMillis() {
        java.lang.management.CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler == null || !compiler.isCompilationTimeMonitoringSupported() ? 0
                : compiler.getTotalCompilationTime();
    }

    /** Every collector's time since the JVM started, in milliseconds. */
    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                                .mapToLong(collector -> Math.max(0, collector.getCollectionTime())).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** A markdown table of a split, the parts by their share, biggest first. */
    static String table(String title, Map<String, Double> perCommand, String note) {
        double total = perCommand.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder md = new StringBuilder("## " + title + "\n\n" + note + "\n\n");
        md.append("| part | CPU ms per command | share |\n|---|---|---|\n");
        perCommand.entrySet().stream().filter(part -> part.getValue() > 0)
                  .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                  .forEach(part -> md.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f%% |%n", part.getKey(),
                                                           part.getValue(), total == 0 ? 0 : 100 * part.getValue() / total)));
        md.append(String.format(Locale.ROOT, "| **total** | **%.2f** | |%n", total));
        return md.toString();
    }
}
