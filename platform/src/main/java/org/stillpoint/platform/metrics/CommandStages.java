package org.stillpoint.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a write's time goes, as one timer per stage ({@value #METER}, tagged {@code stage}): the access check, the
 * command's handling (its aggregate loaded, its handler run, its events committed), the two steps of the commit
 * (positions reserved, the commit inserted) and the wait for its own read model. An operator reads them at
 * {@code /actuator/prometheus} as {@code stillpoint_command_stage_seconds} (with an operator's token); the bench
 * breaks a command down with them.
 */
public final class CommandStages {

    public static final String METER = "stillpoint.command.stage";

    /** A stage of a write, in the order it happens. */
    public enum Stage {
        /** The caller's right to write this client, decided. */
        ACCESS,
        /** The command handled: aggregate loaded, handler run, events committed (reservation and insert included). */
        HANDLE,
        /** Global positions reserved for a commit. */
        RESERVE,
        /** A commit inserted. */
        INSERT,
        /** Waiting for the write's own read model to show it. */
        WAIT;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Stage, Timer> timers = new EnumMap<>(Stage.class);

    public CommandStages(MeterRegistry registry) {
        for (Stage stage : Stage.values()) {
            timers.put(stage, Timer.builder(METER).tag("stage", stage.tag())
                                   .description("time spent in one stage of a write").register(registry));
        }
    }

    /** Stages timed nowhere that is read: for an engine or a component built outside a service. */
    public static CommandStages unread() {
        return new CommandStages(new SimpleMeterRegistry());
    }

    /** Runs {@code work}, its time counted to {@code stage}. */
    public <T> T time(Stage stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            timers.get(stage).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Runs {@code work}, its time counted to {@code stage}. */
    public void time(Stage stage, Runnable work) {
        time(stage, () -> {
            work.run();
            return null;
        });
    }
}
