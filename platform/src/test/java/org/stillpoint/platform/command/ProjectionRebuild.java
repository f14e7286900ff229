package org.stillpoint.platform.command;

import com.mongodb.client.MongoCollection;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a read model from the first stored event: stops its processor, resets its tokens (its reset handler clears
 * the documents), starts it again and waits until it has caught up with the store. For tests: in one instance's
 * context, with no other instance processing.
 */
public class ProjectionRebuild {

    /** The rebuild of the projections of a running service. */
    public static ProjectionRebuild of(ApplicationContext context) {
        return new ProjectionRebuild(context.getBean(EventProcessingConfiguration.class),
                                     context.getBean(ProcessingProgress.class), context.getBean(EventStore.class));
    }

    /**
     * Rebuilds {@code processorName}'s read model twice from the events alone.
     *
     * @param readModel the collections the processor writes
     * @throws AssertionError unless each rebuild caught up within a minute and left the documents as they were before
     */
    @SafeVarargs
    public final void assertRebuildsIdentically(String processorName, MongoCollection<Document>... readModel) {
        List<List<Document>> before = documents(readModel);
        if (before.getFirst().isEmpty()) {
            throw new AssertionError(readModel[0].getNamespace() + " is empty: nothing to rebuild");
        }
        for (int round = 1; round <= 2; round++) {
            if (!rebuild(processorName, Duration.ofSeconds(60))) {
                throw new AssertionError("rebuild " + round + " of " + processorName + " did not catch up in 60 s");
            }
            List<List<Document>> after = documents(readModel);
            if (!after.equals(before)) {
                throw new AssertionError("rebuild " + round + " of " + processorName + " changed the read model:\n"
                                                 + before + "\n" + after);
            }
        }
    }

    private static List<List<Document>> documents(MongoCollection<Document>[] readModel) {
        return Arrays.stream(readModel)
                     .<List<Document>>map(c -> c.find().sort(new Document("_id", 1)).into(new ArrayList<>())).toList();
    }

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
        // done when this instance's restarted segments have passed the head of the store (a replay token stays a
        // replay until an event after the reset arrives, so "replaying" says nothing here)
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                      .until(() -> replayed(processor.processingStatus(), target));
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return progress.await(processorName, position, timeout);
    }

    private static boolean replayed(Map<Integer, EventTrackerStatus> status, TrackingToken target) {
        return !status.isEmpty() && status.values().stream().allMatch(
                s -> s.getTrackingToken() != null && s.getTrackingToken().covers(target));
    }
}
