package org.stillpoint.platform.axon;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The event store as a pooled streaming processor reads it, with an availability callback: the store's stream offers
 * none, and without one the processor's coordinator looks for new events only every 500 ms — the wait of every write
 * that reads its own result. Here the coordinator is told to look every {@code tick} instead; it then checks the
 * stream itself, on its own thread (the stream is never touched from the ticker).
 */
public final class TickingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stillpoint-event-ticks").daemon().factory());

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
            ScheduledFuture<?> running = ticks;
            if (running != null) {
                running.cancel(false);
            }
            stream.close();
        }
    }
}
