package org.stillpoint.platform.command;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a read model from the first stored event: stops its processor, resets its tokens (its reset handler clears
 * the documents), starts it again and waits until it has caught up with the store.
 */
public class ProjectionRebuild {

    private final EventProcessingConfiguration processing;
    private final ProcessingProgress progress;
    private final EventStore eventStore;

    public ProjectionRebuild(EventProcessingConfiguration processing, ProcessingProgress progress,
                             EventStore eventStore) {
        this.processing = processing;
        this.progress = progress;
        this.eventStore = eventStore;
    }

    /** @return whether the processor caught up with the store within {@code timeout} */
    public boolean rebuild(String processorName, Duration timeout) {
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                                                      .orElseThrow(() -> new IllegalArgumentException(
                                                              "no streaming event processor " + processorName));
        TrackingToken head = eventStore.createHeadToken();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        long position = head instanceof GapAwareTrackingToken gapAware ? gapAware.getIndex() : -1;
        TrackingToken target = GapAwareTrackingToken.newInstance(position, List.of());
        long deadline = System.nanoTime() + timeout.toNanos();
        // done when this instance's restarted segments have passed the head of the store (a replay token stays a
        // replay until an event after the reset arrives, so "replaying" says nothing here)
        while (!replayed(processor.processingStatus(), target)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return progress.await(processorName, position, timeout);
    }

    private static boolean replayed(Map<Integer, EventTrackerStatus> status, TrackingToken target) {
        return !status.isEmpty() && status.values().stream().allMatch(
                s -> s.getTrackingToken() != null && s.getTrackingToken().covers(target));
    }
}
