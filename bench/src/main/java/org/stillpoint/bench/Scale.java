package org.stillpoint.bench;

/**
 * How big a run is. {@code full} is the published run (at least 5 rounds, about 10 minutes at most on 2 cores);
 * {@code smoke} runs every path with tiny sizes so that the bench is exercised by the test suite and cannot rot.
 *
 * @param commands         commands appended per round in B1 (two events each)
 * @param storedEvents     events in the store for B7 and the 1× side of B10
 * @param trackingWindow   events read by a tracking reader in T1
 * @param trackingLarge    store size of the large side of T1
 * @param aggregateSizes   aggregate lengths loaded in B3
 * @param loadsPerRound    loads per round in B3 (for the smallest aggregate; fewer for longer ones)
 * @param timelineEntries  entries of the one client whose timeline B12 pages through
 * @param warmUp           commands each server of B2 answers before anything is measured (the service and the raw
 *                         command alike)
 */
public record Scale(String name, int rounds, int commands, int storedEvents, int trackingWindow, int trackingLarge,
                    int[] aggregateSizes, int loadsPerRound, int timelineEntries, int warmUp) {

    public static final Scale FULL = new Scale("full", 5, 1_000, 5_000, 1_000, 50_000, new int[]{10, 100, 1_000}, 200,
                                               100_000, 2_000);
    public static final Scale SMOKE = new Scale("smoke", 2, 20, 200, 100, 1_000, new int[]{10, 100}, 4, 2_000, 20);

    public static Scale named(String name) {
        return switch (name) {
            case "full" -> FULL;
            case "smoke" -> SMOKE;
            default -> throw new IllegalArgumentException("scale is full or smoke, not " + name);
        };
    }
}
