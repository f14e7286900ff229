package org.stillpoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench as a user runs it — its own process, at tiny sizes — runs every benchmark, reports a positive ratio for
 * each, and then ends by itself with status 0; no timing is asserted.
 */
class BenchSmokeTest {

    @TempDir
    Path out;

    @Test
    void everyBenchmarkRunsIsReportedAndTheBenchEndsByItself() throws Exception {
        Path log = out.resolve("bench.log");
        Process bench = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                           "-Xmx1g", "-Dlogback.configurationFile=stillpoint-launcher-logback.xml",
                                           "-cp", System.getProperty("java.class.path"), Bench.class.getName(),
                                           "--scale", "smoke", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = bench.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            bench.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended).as("the bench ended by itself within 10 minutes; its output:%n%s", tail(output)).isTrue();
        assertThat(bench.exitValue()).as(tail(output)).isZero();
        assertThat(output).contains("written: ");

        JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("benchmarks.json")));
        List<JsonNode> rows = new ArrayList<>();
        report.findValues("rows").forEach(r -> r.forEach(rows::add));
        assertThat(rows).extracting(r -> r.get("id").asText())
                        .contains("B1", "B1x", "B10-B1", "B3-10", "B3-10s", "B7", "T1", "B10-B7", "B4", "B5", "B2-new",
                                  "B2-existing", "B10-B2", "B6");
        assertThat(rows).allSatisfy(row -> {
            String id = row.get("id").asText();
            assertThat(row.get("ratio").asDouble()).as(id).isPositive().isFinite();
            assertThat(row.get("pathMedian").asDouble()).as(id).isPositive();
            assertThat(row.get("baselineMedian").asDouble()).as(id).isPositive();
            assertThat(row.get("ratioMin").asDouble()).as(id).isLessThanOrEqualTo(row.get("ratio").asDouble());
            assertThat(row.get("ratioMax").asDouble()).as(id).isGreaterThanOrEqualTo(row.get("ratio").asDouble());
        });
        String markdown = Files.readString(out.resolve("benchmarks.md"));
        assertThat(markdown).contains("| B1 |", "| T1 |", "## Machine");
    }

    private static String tail(String output) {
        return output.length() <= 4_000 ? output : output.substring(output.length() - 4_000);
    }
}
