package org.stillpoint.platform.command;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
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
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits, a bounded time, for a streaming event processor to have handled everything up to a global position — on the
 * segment that handles a given client (or on every segment), whichever instance holds it.
 * <p>
 * The rule (platform README, "Read your writes on any instance"): a segment this instance processes is judged by its
 * live status; a segment another instance holds is judged by the token that instance last stored in the shared token
 * store, while that instance holds it (a segment nobody holds has not reached anything yet). A write waits only for the
 * segment of its client, which stores its token as soon as the batch with the write's event commits. So a write answers
 * as fast on an instance that holds no segment of its projection as on one that holds them all: the wait is the other
 * instance's next token update, not a timeout.
 */
public class ProcessingProgress {

    /** The pauses between two looks at a processor's progress: from a quarter of a millisecond, doubling, up to 4 ms. */
    private static final long SHORTEST_PAUSE_NANOS = 250_000;
    private static final long LONGEST_PAUSE_NANOS = 4_000_000;

    private final EventProcessingConfiguration processing;
    private final MongoCollection<Document> tokens;
    private final Serializer serializer;
    private final String nodeId;
    private final Duration claimTimeout;

    /**
     * @param tokens     the token store's collection, shared by every instance of the service
     * @param serializer the serializer the token store writes tokens with
     * @param nodeId       this instance's node id in the token store
     * @param claimTimeout the token store's claim timeout: a claim not extended for that long belongs to no live
     *                     instance
     */
    public ProcessingProgress(EventProcessingConfiguration processing, MongoDatabase database, String tokens,
                              Serializer serializer, String nodeId, Duration claimTimeout) {
        this.processing = processing;
        this.tokens = database.getCollection(tokens);
        this.serializer = serializer;
        this.nodeId = nodeId;
        this.claimTimeout = claimTimeout;
    }

    /** Whether {@code processorName} has handled every event up to and including {@code position}, on every segment. */
    public boolean hasReached(String processorName, long position) {
        return hasReached(processorName, position, null);
    }

    /**
     * Whether {@code processorName} has handled every event up to and including {@code position} on the segment that
     * handles {@code sequence} (the processors' sequencing: a client id), or on every segment when it is null.
     */
    public boolean hasReached(String processorName, long position, Object sequence) {
        if (position < 0) {
            return true;
        }
        TrackingToken target = GapAwareTrackingToken.newInstance(position, List.of());
        return passed(processorName, sequence, token -> token.covers(target));
    }

    /**
     * Whether {@code processorName} has handled the event at {@code position} on the segment that handles
     * {@code sequence} (every segment when null) — that event itself, whatever positions below it are still gaps of
     * its token. This is what a write waits for: its own event applied. A gap below it (the reservation of a command
     * that failed, or a commit of another writer still on its way) is another write's business; waiting for it to
     * fill would hold every write behind a failed one until the gap is given up.
     */
    public boolean hasHandled(String processorName, long position, Object sequence) {
        if (position < 0) {
            return true;
        }
        return passed(processorName, sequence, token -> handled(token, position));
    }

    /** Whether a token has handled {@code position}: past it, and not holding it as a gap. */
    static boolean handled(TrackingToken token, long position) {
        GapAwareTrackingToken gapAware = WrappedToken.unwrap(token, GapAwareTrackingToken.class).orElse(null);
        if (gapAware == null) {
            return token.covers(GapAwareTrackingToken.newInstance(position, List.of()));
        }
        return gapAware.getIndex() >= position && !gapAware.getGaps().contains(position);
    }

    /**
     * The segments of {@code processorName} this instance processes now (none when it has no such processor): the work
     * that goes with a client — a consent's expiry, a client's copy — is this instance's when its segment is here.
     */
    public List<Segment> segmentsHere(String processorName) {
        return processing.eventProcessor(processorName, StreamingEventProcessor.class)
                         .map(p -> p.processingStatus().values().stream().map(EventTrackerStatus::getSegment).toList())
                         .orElse(List.of());
    }

    /** Whether every segment of {@code sequence} (every segment when null), live here or stored, passes {@code test}. */
    private boolean passed(String processorName, Object sequence, Predicate<TrackingToken> test) {
        StreamingEventProcessor processor = processing.eventProcessor(processorName, StreamingEventProcessor.class)
                                                      .orElseThrow(() -> new IllegalArgumentException(
                                                              "no streaming event processor " + processorName));
        Map<Integer, EventTrackerStatus> local = processor.processingStatus();
        boolean localCovers = local.values().stream()
                                   .filter(s -> sequence == null || s.getSegment().matches(sequence))
                                   .allMatch(s -> s.getTrackingToken() != null && test.test(s.getTrackingToken()));
        if (!localCovers) {
            return false;
        }
        if (sequence != null && local.values().stream().anyMatch(s -> s.getSegment().matches(sequence))) {
            // segments do not overlap: the one segment of this client is here, and nothing stored can say otherwise
            return true;
        }
        List<Document> stored = tokens.find(Filters.eq("processorName", processorName)).into(new ArrayList<>());
        if (stored.isEmpty()) {
            // not initialised yet: only a live local segment can tell
            return local.values().stream().anyMatch(s -> sequence == null || s.getSegment().matches(sequence));
        }
        int[] ids = stored.stream().map(d -> d.getInteger("segment")).filter(Objects::nonNull)
                          .mapToInt(Integer::intValue).toArray();
        for (Document segment : stored) {
            Integer id = segment.getInteger("segment");
            if (id == null || local.containsKey(id)
                    || sequence != null && !Segment.computeSegment(id, ids).matches(sequence)) {
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
            if (token == null || !test.test(token)) {
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
        return await(processorName, position, null, timeout);
    }

    /**
     * Waits until {@code processorName} has handled {@code position} on the segment of {@code sequence} (every
     * segment when null).
     *
     * @return whether it did within {@code timeout}
     */
    public boolean await(String processorName, long position, Object sequence, Duration timeout) {
        return until(() -> hasReached(processorName, position, sequence), timeout);
    }

    /**
     * Waits until {@code processorName} has handled the event at {@code position} on the segment of {@code sequence}
     * ({@link #hasHandled}).
     *
     * @return whether it did within {@code timeout}
     */
    public boolean awaitHandled(String processorName, long position, Object sequence, Duration timeout) {
        return until(() -> hasHandled(processorName, position, sequence), timeout);
    }

    /**
     * Looks again after a pause that starts short and doubles up to {@link #LONGEST_PAUSE_NANOS}: a write's own event
     * is usually applied within a few milliseconds, and a fixed 5 ms pause added 2.5 ms to every write on average.
     */
    private static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = SHORTEST_PAUSE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(pause);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
        return true;
    }


    /** Whether a claim was extended recently enough to belong to a live instance. */
    private boolean fresh(Object timestamp) {
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
        return at.isAfter(Instant.now().minus(claimTimeout));
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
