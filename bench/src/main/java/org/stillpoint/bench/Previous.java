package org.stillpoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run a new one is compared with: the {@code benchmarks.json} already in the report's folder, if any — its
 * ratios, beside the new ones in the report and the chart, and how long each row took, for the estimate of the time
 * left.
 *
 * @param ratios  median ratio by row id
 * @param seconds how long each row took, by row id (empty for a report written before rows were timed)
 */
record Previous(String generatedAt, String command, String scale, Map<String, Double> ratios,
                Map<String, Double> seconds) {

    static final Previous NONE = new Previous(null, null, null, Map.of(), Map.of());

    /** The report in {@code folder}, or {@link #NONE} when there is none or it cannot be read. */
    static Previous in(Path folder) {
        Path file = folder.resolve("benchmarks.json");
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            JsonNode report = new ObjectMapper().readTree(file.toFile());
            Map<String, Double> ratios = new LinkedHashMap<>();
            for (JsonNode row : report.path("rows")) {
                ratios.put(row.path("id").asText(), row.path("ratio").asDouble());
            }
            Map<String, Double> seconds = new LinkedHashMap<>();
            report.path("secondsPerRow").properties().forEach(e -> seconds.put(e.getKey(), e.getValue().asDouble()));
            return new Previous(report.path("generatedAt").asText(null), report.path("command").asText(null),
                                report.path("scale").asText(null), ratios, seconds);
        } catch (IOException | RuntimeException e) {
            System.err.println("the previous report " + file + " could not be read (" + e.getMessage()
                                       + "); this one is not compared with it");
            return NONE;
        }
    }

    boolean exists() {
        return generatedAt != null;
    }

    /**
     * How {@code row} moved since this run: {@code regressed} when its median fell by more than 15% and even its best
     * round is below the previous median, {@code improved} the other way round, else {@code ≈}; null when the previous
     * run had no such row.
     */
    String change(Row row) {
        Double before = ratios.get(row.id());
        if (before == null || before <= 0) {
            return null;
        }
        if (row.ratio() < before * 0.85 && row.ratioMax() < before) {
            return "**regressed**";
        }
        if (row.ratio() > before * 1.15 && row.ratioMin() > before) {
            return "improved";
        }
        return "≈";
    }
}
