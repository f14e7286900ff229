package org.stillpoint.bench;

/**
 * One line of the report: a path measured against its baseline over several rounds.
 *
 * @param ratio    median over the rounds of (path ÷ baseline) as throughput — above 1 the path is faster than its
 *                 baseline; for latencies it is baseline time ÷ path time, so higher is better everywhere
 * @param ratioMin the lowest round's ratio
 * @param ratioMax the highest round's ratio
 * @param goal     the ratio aimed for, or null when there is none
 */
public record Row(String id, String path, String baseline, String unit, double pathMedian, double baselineMedian,
                  double ratio, double ratioMin, double ratioMax, Double goal, int rounds, String note) {

    public Boolean goalMet() {
        return goal == null ? null : ratio >= goal;
    }
}
