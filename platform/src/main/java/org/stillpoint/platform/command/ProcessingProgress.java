package org.stillpoint.platform.command;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Waits, a bounded time, for a streaming event processor to have handled everything up to a global position — on every
 * segment, whichever instance holds it.
 * <p>
 * The rule (platform README, "Read your writes on any instance"): a segment this instance processes is judged by its
 * live status; a segment another instance holds is judged by the token that instance last stored in the shared token
 * store, while that instance holds it (a segment nobody holds has not reached anything yet). So a write answers as fast
 * on an instance that holds no segment of its projection as on one that holds them all: the wait is the other
 * instance's next token update, not a timeout.
 */
public class ProcessingProgress {

    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);

    private final EventProcessingConfiguration processing;
    private final MongoCollection<Document> tokens;
    private final Serializer serializer;
    private final String nodeId;

    /**
     * @param tokens     the token store's collection, shared by every instance of the service
     * @param serializer the serializer the token store writes tokens with
     * @param nodeId     this instance's node id in the token store
     */
    public ProcessingProgress(EventProcessingConfiguration processing, MongoDatabase database, String tokens,
                              Serializer serializer, String nodeId) {
        this.processing = processing;
        this.tokens = database.getCollection(tokens);
        this.serializer = serializer;
        this.nodeId = nodeId;
    }

    /** Whether {@code processorName} has handled every event up to and including {@code position}. */
    public boolean hasReached(String processorName, long position) {
        if (position < 0) {
            return true;
        }
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                                                      .orElseThrow(() -> new IllegalArgumentException(
                                                              "no streaming event processor " + processorName));
        TrackingToken target = GapAwareTrackingToken.newInstance(position, List.of());
        Map<Integer, EventTrackerStatus> local = processor.processingStatus();
        boolean localCovers = local.values().stream().allMatch(s -> s.getTrackingToken() != null
                && s.getTrackingToken().covers(target));
        if (!localCovers) {
            return false;
        }
        List<Document> stored = tokens.find(Filters.eq("processorName", processorName)).into(new ArrayList<>());
        if (stored.isEmpty()) {
            // not initialised yet: only a live local segment can tell
            return !local.isEmpty();
        }
        for (Document segment : stored) {
            Integer id = segment.getInteger("segment");
            if (id == null || local.containsKey(id)) {
                continue;
            }
            Object owner = segment.get("owner");
            if (owner == null || owner.equals(nodeId) || !fresh(segment.get("timestamp"))) {
                // nobody processes it right now, this instance is (re)starting it, or its owner stopped extending
                // its claim (it died): not reached yet
                return false;
            }
            TrackingToken token = token(segment);
            if (token instanceof ReplayToken replay) {
                token = replay.getCurrentToken();
            }
            if (token == null || !token.covers(target)) {
                return false;
            }
        }
        return true;
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

    /** Whether a claim was extended recently enough to belong to a live instance (Axon's claim timeout is 10 s). */
    private static boolean fresh(Object timestamp) {
        Instant at;
        if (timestamp instanceof Number epochMillis) {
            at = Instant.ofEpochMilli(epochMillis.longValue());
        } else if (timestamp instanceof Date date) {
            at = date.toInstant();
        } else if (timestamp instanceof String text) {
            try {
                at = Instant.parse(text);
            } catch (DateTimeParseException e) {
                return false;
            }
        } else {
            return false;
        }
        return at.isAfter(Instant.now().minus(CLAIM_TIMEOUT));
    }

    private TrackingToken token(Document segment) {
        Object data = segment.get("token");
        String type = segment.getString("tokenType");
        if (data == null || type == null) {
            return null;
        }
        if (data instanceof Binary binary) {
            return serializer.deserialize(new SimpleSerializedObject<>(binary.getData(), byte[].class, type, null));
        }
        return serializer.deserialize(new SimpleSerializedObject<>(data.toString(), String.class, type, null));
    }
}
