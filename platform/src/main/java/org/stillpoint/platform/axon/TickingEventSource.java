package org.stillpoint.platform.axon;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The event store as a pooled streaming processor reads it, with an availability callback: the store's stream offers
 * none, and without one the processor's coordinator looks for new events only every 500 ms — the wait of every write
 * that reads its own result. Here the coordinator is told to look every {@code tick} instead; it then checks the
 * stream itself, on its own thread (the stream is never touched from the ticker). And when this instance commits
 * events ({@link #nudge()}), every coordinator is told to look a moment later, once the store's reader has fetched
 * them, rather than at its next tick: a write's own event reaches its projection without waiting half a tick.
 */
public final class TickingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stillpoint-event-ticks").daemon().factory());
    /** Every open stream with its coordinator's callback, to nudge after a local commit. */
    private static final Set<Ticking> OPEN = ConcurrentHashMap.newKeySet();
    /**
     * When the coordinators look after a local commit: the store's reader fetches the new events on a thread of its
     * own once told of the commit, usually within a millisecond or two; a look that finds nothing yet costs a check.
     */
    private static final long[] NUDGES_MICROS = {500, 2_000};

    /**
     * Tells every open stream's coordinator to look for events shortly: this instance has just committed some. Called
     * after the commit of a unit of work that stored events.
     */
    public static void nudge() {
        for (Ticking open : OPEN) {
            Runnable callback = open.callback;
            if (callback != null) {
                for (long delay : NUDGES_MICROS) {
                    TICKER.schedule(callback, delay, TimeUnit.MICROSECONDS);
                }
            }
        }
    }

    private final StreamableMessageSource<TrackedEventMessage<?>> store;
    private final Duration tick;

    public TickingEventSource(StreamableMessageSource<TrackedEventMessage<?>> store, Duration tick) {
        this.store = store;
        this.tick = tick;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new Ticking(store.openStream(trackingToken), tick);
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    private static final class Ticking implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        private final Duration tick;
        private volatile ScheduledFuture<?> ticks;
        private volatile Runnable callback;

        Ticking(BlockingStream<TrackedEventMessage<?>> stream, Duration tick) {
            this.stream = stream;
            this.tick = tick;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            ScheduledFuture<?> previous = ticks;
            if (previous != null) {
                previous.cancel(false);
            }
            ticks = TICKER.scheduleWithFixedDelay(callback, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
            this.callback = callback;
            OPEN.add(this);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public Stream<TrackedEventMessage<?>> asStream() {
            return stream.asStream();
        }

        @Override
        public void close() {
            OPEN.remove(this);
            callback = null;
            ScheduledFuture<?> running = ticks;
            if (running != null) {
                running.cancel(false);
            }
            stream.close();
        }
    }
}
