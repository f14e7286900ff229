package org.stillpoint.platform.axon;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** When a processor's coordinator is told to look for events: every tick, and a moment after a local commit. */
class TickingEventSourceTest {

    private final TickingEventSource source = new TickingEventSource(new EmptyStore(), Duration.ofMinutes(1));

    @Test
    void aLocalCommitTellsEveryOpenStreamToLookWithoutWaitingForItsTick() throws InterruptedException {
        CountDownLatch looked = new CountDownLatch(1);
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null)) {
            stream.setOnAvailableCallback(looked::countDown);

            TickingEventSource.nudge();

            assertThat(looked.await(1, TimeUnit.SECONDS)).as("told within a second, not at the minute's tick").isTrue();
        }
    }

    @Test
    void aClosedStreamIsNotToldAnyMore() throws InterruptedException {
        CountDownLatch looked = new CountDownLatch(1);
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        stream.setOnAvailableCallback(looked::countDown);
        stream.close();

        TickingEventSource.nudge();

        assertThat(looked.await(200, TimeUnit.MILLISECONDS)).isFalse();
    }

    /** A store with no events: the streams it opens never have one. */
    private static final class EmptyStore implements StreamableMessageSource<TrackedEventMessage<?>> {

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
            return new BlockingStream<>() {
                @Override
                public Optional<TrackedEventMessage<?>> peek() {
                    return Optional.empty();
                }

                @Override
                public boolean hasNextAvailable(int timeout, TimeUnit unit) {
                    return false;
                }

                @Override
                public TrackedEventMessage<?> nextAvailable() {
                    throw new IllegalStateException("no events");
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public TrackingToken createTailToken() {
            return null;
        }
    }
}
