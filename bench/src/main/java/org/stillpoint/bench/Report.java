package org.stillpoint.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the rows as {@code benchmarks.md} (a table beside the previous run's ratios, a chart, notes, the sections the
 * benches add, the machine), {@code benchmarks.svg} (the chart) and {@code benchmarks.json}.
 */
final class Report {

    private Report() {
    }

    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryGiB", Math.round(((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return machine;
    }

    /**
     * @param secondsPerRow how long each row took, kept for the next run's estimate of the time left
     * @param previous      the run this one is compared with
     * @param sections      further markdown sections, each starting with its {@code ##} heading
     */
    static void write(Path dir, String command, String scale, List<Row> rows, long tookMillis,
                      Map<String, Double> secondsPerRow, Previous previous, List<String> sections) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("generatedAt", Instant.now().toString());
        json.put("command", command);
        json.put("scale", scale);
        json.put("tookSeconds", tookMillis / 1000.0);
        json.put("machine", machine());
        json.put("backends", "embedded: Apache Kafka broker (KRaft) in-JVM, mongo-java-server on an H2 file");
        json.put("rows", rows);
        json.put("secondsPerRow", new java.util.TreeMap<>(secondsPerRow));
        if (previous.exists()) {
            json.put("previous", Map.of("generatedAt", previous.generatedAt(), "command", previous.command(),
                                        "ratios", previous.ratios()));
        }
        try {
            Files.createDirectories(dir);
            ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                                                    .enable(SerializationFeature.INDENT_OUTPUT);
            mapper.writeValue(dir.resolve("benchmarks.json").toFile(), json);
            Map<String, Double> before = scale.equals(previous.scale()) ? previous.ratios() : Map.of();
            Files.writeString(dir.resolve("benchmarks.svg"), Chart.svg(rows, before));
            Files.writeString(dir.resolve("benchmarks.md"), markdown(command, scale, rows, tookMillis, previous,
                                                                     sections));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String markdown(String command, String scale, List<Row> rows, long tookMillis, Previous previous,
                                   List<String> sections) {
        boolean compared = previous.exists() && scale.equals(previous.scale());
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Each figure is a ratio against a raw baseline measured in the same run, on the same embedded Kafka "
                          + "broker and MongoDB-wire store (mongo-java-server on an H2 file), with the same document sizes "
                          + "and indexes. Ratios are throughput ÷ baseline throughput (for latencies, baseline time ÷ "
                          + "path time): 1.0 is as fast as the raw baseline, higher is better. Median over the rounds, "
                          + "with the lowest and highest round. Absolute figures are printed for orientation only.\n\n");
        md.append("Produced by `").append(command).append("` (scale ").append(scale).append(", ")
          .append(String.format(Locale.ROOT, "%.0f", tookMillis / 1000.0)).append(" s).");
        if (compared) {
            md.append(" The previous run, beside each ratio, is the report this one replaced: `")
              .append(previous.command()).append("` of ").append(previous.generatedAt())
              .append("; a row has *regressed* when its median fell by more than 15% and even its best round is "
                              + "below the previous median.");
        } else if (previous.exists()) {
            md.append(" The report this one replaced was at scale ").append(previous.scale())
              .append(", so no ratio is compared with it.");
        }
        md.append("\n\n![Each ratio against its goal and the previous run](benchmarks.svg)\n\n");
        md.append("| id | path | baseline | path (median) | baseline (median) | ratio | spread | rounds | goal | previous |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(row.id())
              .append(" | ").append(row.path())
              .append(" | ").append(row.baseline())
              .append(" | ").append(number(row.pathMedian())).append(' ').append(row.unit())
              .append(" | ").append(number(row.baselineMedian())).append(' ').append(row.unit())
              .append(" | **").append(String.format(Locale.ROOT, "%.2f", row.ratio())).append("**")
              .append(" | ").append(String.format(Locale.ROOT, "%.2f–%.2f", row.ratioMin(), row.ratioMax()))
              .append(" | ").append(row.rounds())
              .append(" | ").append(row.goal() == null ? "—"
                                            : "≥ " + BigDecimal.valueOf(row.goal()).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
                                                     .toPlainString()
                                              + (row.goalMet() ? " met" : " **missed**"))
              .append(" | ").append(compared ? before(previous, row) : "—")
              .append(" |\n");
        }
        md.append("\n## Notes\n\n");
        for (Row row : rows) {
            if (row.note() != null && !row.note().isBlank()) {
                md.append("- **").append(row.id()).append("**: ").append(row.note()).append('\n');
            }
        }
        for (String section : sections) {
            md.append('\n').append(section.strip()).append('\n');
        }
        md.append("\n## Machine\n\n");
        machine().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    private static String before(Previous previous, Row row) {
        String change = previous.change(row);
        if (change == null) {
            return "new";
        }
        return String.format(Locale.ROOT, "%.2f %s", previous.ratios().get(row.id()), change);
    }

    private static String number(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
