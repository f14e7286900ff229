package org.stillpoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stillpoint.testsupport.TestJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench as a user runs it — its own process, at tiny sizes, the local stack included — runs every benchmark,
 * says each row as it is measured with the time left, reports a positive ratio for each beside the previous run's, draws
 * its chart, and then ends by itself with status 0; no timing is asserted. Its stack is on ports of its own.
 */
class BenchSmokeIT {

    @TempDir
    Path out;

    @Test
    void everyBenchmarkRunsIsReportedAndTheBenchEndsByItself() throws Exception {
        // a previous run at the same scale, where B1 was far better and B4 did not exist
        Files.writeString(out.resolve("benchmarks.json"), """
                {"generatedAt":"2026-11-30T10:00:00Z","command":"./bench.sh --scale smoke","scale":"smoke",
                 "rows":[{"id":"B1","ratio":1000.0,"ratioMin":900.0,"ratioMax":1100.0}],
                 "secondsPerRow":{"B1":3.0}}
                """);
        Path log = out.resolve("bench.log");
        // the bench's own JVM as the test JVMs are (its ratios are not asserted here); the stack it starts as a user's
        List<String> command = new ArrayList<>(TestJvm.command());
        command.addAll(List.of("-Xmx1g", "-Dlogback.configurationFile=stillpoint-launcher-logback.xml", "-cp",
                               System.getProperty("java.class.path"), Bench.class.getName(), "--scale", "smoke",
                               "--out", out.toString(), "--port-offset", Integer.toString(freePortOffset())));
        Process bench = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
        List<String> planned = Bench.planned(Scale.SMOKE, java.util.Set.of());
        assertThat(rows).extracting(r -> r.get("id").asText()).containsExactlyInAnyOrderElementsOf(planned)
                        .contains("B1", "B1x", "B10-B1", "B3-10", "B3-10s", "B7", "T1", "B10-B7", "B4", "B5", "B8",
                                  "B12", "B2-new", "B2-existing", "B10-B2", "B11", "B6", "M1", "M2");
        assertThat(output).as("a progress line per row, with the time left")
                          .contains("[ 1/" + planned.size() + "]", "[" + planned.size() + "/" + planned.size() + "]",
                                    " left", "done");
        assertThat(report.get("secondsPerRow").size()).isEqualTo(planned.size());
        assertThat(rows).allSatisfy(row -> {
            String id = row.get("id").asText();
            assertThat(row.get("ratio").asDouble()).as(id).isPositive().isFinite();
            assertThat(row.get("pathMedian").asDouble()).as(id).isPositive();
            assertThat(row.get("baselineMedian").asDouble()).as(id).isPositive();
            assertThat(row.get("ratioMin").asDouble()).as(id).isLessThanOrEqualTo(row.get("ratio").asDouble());
            assertThat(row.get("ratioMax").asDouble()).as(id).isGreaterThanOrEqualTo(row.get("ratio").asDouble());
        });
        String markdown = Files.readString(out.resolve("benchmarks.md"));
        assertThat(markdown).contains("| B1 |", "| T1 |", "## Machine", "## Where a command's time goes (B2)",
                                      "| read-your-writes wait", "## Memory of the local stack", "| consent-service |",
                                      "| kafka broker |", "![Each ratio against its goal and the previous run](benchmarks.svg)");
        assertThat(markdown).as("compared with the previous run").containsPattern("\\| B1 \\|.*\\| 1000\\.00 \\*\\*regressed\\*\\* \\|")
                            .containsPattern("\\| B4 \\|.*\\| new \\|");
        String chart = Files.readString(out.resolve("benchmarks.svg"));
        assertThat(chart).startsWith("<svg").contains("<title>B1: ", "<title>M2: ", "previous run: 1000.00").endsWith("</svg>\n");
    }

    /**
     * An offset that moves every port of the local stack (Kafka and its controller, the store, the gateway and the
     * four services) onto free ones: the smoke run starts its stack beside a running {@code ./stack.sh}.
     */
    private static int freePortOffset() {
        int[] defaults = {9092, 9093, 27017, 8080, 8081, 8082, 8083, 8084};
        for (int offset = 20_000; offset <= 30_000; offset += 97) {
            int chosen = offset;
            if (java.util.Arrays.stream(defaults).allMatch(port -> free(port + chosen))) {
                return chosen;
            }
        }
        throw new IllegalStateException("no free ports for a second stack");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (java.io.IOException taken) {
            return false;
        }
    }

    private static String tail(String output) {
        return output.length() <= 4_000 ? output : output.substring(output.length() - 4_000);
    }
}
