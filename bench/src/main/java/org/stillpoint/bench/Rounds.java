package org.stillpoint.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

/** Measures a path and its baseline alternately, round after round, and reduces the rounds to medians and spread. */
final class Rounds {

    /** Whether a bigger measured value is better (a rate) or worse (a time). */
    enum Kind { RATE, TIME }

    private final int rounds;
    private final Progress progress;

    Rounds(int rounds, Progress progress) {
        this.rounds = rounds;
        this.progress = progress;
    }

    Row measure(String id, String path, String baseline, String unit, Kind kind, Double goal, String note,
                DoubleSupplier measurePath, DoubleSupplier measureBaseline) {
        double[] paths = new double[rounds];
        double[] baselines = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // alternate the order so warm-up and drift do not favour one side
            if (r % 2 == 0) {
                baselines[r] = measureBaseline.getAsDouble();
                paths[r] = measurePath.getAsDouble();
            } else {
                paths[r] = measurePath.getAsDouble();
                baselines[r] = measureBaseline.getAsDouble();
            }
            ratios[r] = kind == Kind.RATE ? paths[r] / baselines[r] : baselines[r] / paths[r];
        }
        return derived(new Row(id, path, baseline, unit, median(paths), median(baselines), median(ratios),
                               min(ratios), max(ratios), goal, rounds, note));
    }

    /** A row comparing one path with itself under two conditions, such as a store 10× bigger. */
    Row compare(String id, String path, String baseline, String unit, Kind kind, Double goal, String note,
                List<Double> pathValues, List<Double> baselineValues) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < pathValues.size(); r++) {
            ratios.add(kind == Kind.RATE ? pathValues.get(r) / baselineValues.get(r)
                               : baselineValues.get(r) / pathValues.get(r));
        }
        double[] ratioArray = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        return derived(new Row(id, path, baseline, unit, median(toArray(pathValues)), median(toArray(baselineValues)),
                               median(ratioArray), min(ratioArray), max(ratioArray), goal, pathValues.size(), note));
    }

    /** A row made from others (or measured otherwise), said on the progress line like a measured one. */
    Row derived(Row row) {
        progress.measured(row);
        return row;
    }

    int rounds() {
        return rounds;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** Events (or operations) per second for {@code count} done in {@code nanos}. */
    static double perSecond(long count, long nanos) {
        return count * 1e9 / nanos;
    }
}
