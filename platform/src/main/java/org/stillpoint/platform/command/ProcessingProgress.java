package org.stillpoint.platform.command;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Waits, a bounded time, for a streaming event processor to have handled everything up to a global position. */
public class ProcessingProgress {

    private final EventProcessingConfiguration processing;

    public ProcessingProgress(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    /** Whether {@code processorName} has handled every event up to and including {@code position}. */
    public boolean hasReached(String processorName, long position) {
        if (position < 0) {
            return true;
        }
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                                                      .orElseThrow(() -> new IllegalArgumentException(
                                                              "no streaming event processor " + processorName));
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty()) {
            return false;
        }
        TrackingToken target = GapAwareTrackingToken.newInstance(position, List.of());
        return status.values().stream().allMatch(s -> s.getTrackingToken() != null
                && s.getTrackingToken().covers(target));
    }

    /**
     * Waits until {@code processorName} has handled {@code position}.
     *
     * @return whether it did within {@code timeout}
     */
    public boolean await(String processorName, long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasReached(processorName, position)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
