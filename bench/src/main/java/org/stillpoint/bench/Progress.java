package org.stillpoint.bench;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line per row as it is measured — its ratio, its goal, how long it took — and an estimate of the time left: the
 * previous run's time for each row still to come (when the previous run was at the same scale), else the mean time
 * of the rows measured so far for each of them.
 */
final class Progress {

    private final List<String> planned;
    private final Map<String, Double> previousSeconds;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long last = start;

    /**
     * @param planned         the ids of every row this run measures, in order
     * @param previousSeconds how long each row took in the previous run at this scale (empty when there is none)
     */
    Progress(List<String> planned, Map<String, Double> previousSeconds, PrintStream out) {
        this.planned = List.copyOf(planned);
        this.previousSeconds = new HashMap<>(previousSeconds);
        this.out = out;
    }

    /** Says that {@code row} is measured; its time is the time since the row before it. */
    synchronized void measured(Row row) {
        long now = System.nanoTime();
        double took = (now - last) / 1e9;
        last = now;
        seconds.merge(row.id(), took, Double::sum);
        out.printf(Locale.ROOT, "[%2d/%d] %-12s ratio %7.2f %-14s %5.0f s   elapsed %s, %s%n", seconds.size(),
                   planned.size(), row.id(), row.ratio(), goal(row), took, clock((now - start) / 1e9), left());
        out.flush();
    }

    /** How long each row took, in the order measured. */
    synchronized Map<String, Double> seconds() {
        return new LinkedHashMap<>(seconds);
    }

    private String left() {
        List<String> remaining = planned.stream().filter(id -> !seconds.containsKey(id)).toList();
        if (remaining.isEmpty()) {
            return "done";
        }
        double mean = seconds.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double estimate = remaining.stream().mapToDouble(id -> previousSeconds.getOrDefault(id, mean)).sum();
        return "about " + clock(estimate) + " left";
    }

    private static String goal(Row row) {
        if (row.goal() == null) {
            return "";
        }
        return String.format(Locale.ROOT, "(≥ %.2f %s)", row.goal(), row.goalMet() ? "met" : "missed");
    }

    static String clock(double seconds) {
        long whole = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }
}
