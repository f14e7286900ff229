package org.stillpoint.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every benchmark runs end to end at tiny sizes and reports a positive ratio; no timing is asserted. */
class BenchSmokeTest {

    @TempDir
    Path out;

    @Test
    void everyBenchmarkRunsAndIsReported() throws Exception {
        List<Row> rows = Bench.run(Scale.SMOKE, out, "smoke");

        assertThat(rows).extracting(Row::id).contains("B1", "B1x", "B10-B1", "B3-10", "B3-10s", "B7", "T1", "B10-B7", "B4", "B5", "B2-new", "B2-existing", "B10-B2", "B6");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.ratio()).as(row.id()).isPositive().isFinite();
            assertThat(row.pathMedian()).as(row.id()).isPositive();
            assertThat(row.baselineMedian()).as(row.id()).isPositive();
            assertThat(row.ratioMin()).as(row.id()).isLessThanOrEqualTo(row.ratio());
            assertThat(row.ratioMax()).as(row.id()).isGreaterThanOrEqualTo(row.ratio());
        });
        String markdown = Files.readString(out.resolve("benchmarks.md"));
        assertThat(markdown).contains("| B1 |", "| T1 |", "## Machine");
        assertThat(Files.readString(out.resolve("benchmarks.json"))).contains("\"id\" : \"B7\"");
    }
}
