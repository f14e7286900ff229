package org.stillpoint.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's chart, as SVG: a bar per row for its median ratio (log scale), a line for the spread of its rounds, a
 * tick for its goal, and a ring where the previous run had it. Bars are green where the goal is met, red where it is
 * missed, grey where a row has no goal.
 */
final class Chart {

    private static final double LOW = 0.01;
    private static final double HIGH = 100;
    private static final int LABEL = 110;
    private static final int PLOT = 640;
    private static final int ROW = 20;
    private static final int TOP = 34;
    private static final double[] GRID = {0.01, 0.1, 0.5, 1, 10, 100};

    private Chart() {
    }

    /** @param previous the previous run's median ratio by row id (empty when there is none) */
    static String svg(List<Row> rows, Map<String, Double> previous) {
        int height = TOP + rows.size() * ROW + 30;
        int width = LABEL + PLOT + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append("<title>Each row's ratio against its raw baseline (log scale), its goal and the previous run</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\">ratio to the raw baseline (log scale) — "
                + "bar: median, line: spread of the rounds, black tick: goal, ring: previous run</text>%n", LABEL));
        for (double grid : GRID) {
            double x = x(grid);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n", x,
                                     TOP - 6, x, TOP + rows.size() * ROW, grid == 1 ? "#555" : "#ddd"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                                     TOP + rows.size() * ROW + 16, label(grid)));
        }
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int y = TOP + i * ROW;
            String colour = row.goal() == null ? "#9e9e9e" : row.goalMet() ? "#2e7d32" : "#c62828";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL - 8,
                                     y + 14, escape(row.id())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                             + "<title>%s: %.2f</title></rect>%n", LABEL, y + 4,
                                     Math.max(1, x(row.ratio()) - LABEL), ROW - 8, colour, escape(row.id()),
                                     row.ratio()));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\"/>%n",
                                     x(row.ratioMin()), y + ROW / 2, x(row.ratioMax()), y + ROW / 2));
            if (row.goal() != null) {
                double gx = x(row.goal());
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" "
                        + "stroke-width=\"3\"/>%n", gx, y + 1, gx, y + ROW - 1));
            }
            Double before = previous.get(row.id());
            if (before != null && before > 0) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"none\" "
                        + "stroke=\"#1565c0\" stroke-width=\"2\"><title>previous run: %.2f</title></circle>%n",
                                         x(before), y + ROW / 2, before));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.2f</text>%n",
                                     Math.min(LABEL + PLOT - 30, x(Math.max(row.ratio(), row.ratioMax())) + 6), y + 14,
                                     row.ratio()));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double x(double ratio) {
        double clamped = Math.max(LOW, Math.min(HIGH, ratio));
        return LABEL + PLOT * (Math.log10(clamped) - Math.log10(LOW)) / (Math.log10(HIGH) - Math.log10(LOW));
    }

    private static String label(double grid) {
        return grid >= 1 ? String.format(Locale.ROOT, "%.0f", grid) : String.format(Locale.ROOT, "%s", grid);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
