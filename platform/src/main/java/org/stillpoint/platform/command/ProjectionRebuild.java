package org.stillpoint.platform.command;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Duration;

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
        return progress.await(processorName, position, timeout);
    }
}
