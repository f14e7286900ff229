package org.stillpoint.platform.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.axon.EventTypeRevisionResolver;
import org.stillpoint.testsupport.FreshDatabase;
import org.stillpoint.testsupport.UsesBackends;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@UsesBackends
class MongoEventStorageEngineIT {

    record Noted(String text) {
    }

    private final Serializer serializer = JacksonSerializer.builder()
                                                          .objectMapper(EventJson.newMapper())
                                                          .revisionResolver(new EventTypeRevisionResolver())
                                                          .build();
    @RegisterExtension
    final FreshDatabase store = new FreshDatabase("es");

    /** The clock the engines of a test time their gaps by: it moves only when the test moves it. */
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

    private MongoEventStorageEngine engine(GapPolicy policy) {
        return MongoEventStorageEngine.builder()
                                      .database(store.database())
                                      .eventSerializer(serializer)
                                      .snapshotSerializer(serializer)
                                      .batchSize(100)
                                      .gapPolicy(policy)
                                      .ticker(nanos::get)
                                      .build();
    }

    private static DomainEventMessage<Noted> event(String aggregate, long sequence, String text) {
        return new GenericDomainEventMessage<>("Note", aggregate, sequence, new Noted(text));
    }

    private static List<String> texts(List<? extends TrackedEventMessage<?>> events) {
        return events.stream().map(e -> ((Noted) e.getPayload()).text()).toList();
    }

    private static List<TrackedEventMessage<?>> readAll(MongoEventStorageEngine engine, TrackingToken from) {
        return engine.readEvents(from, false).collect(Collectors.toList());
    }

    @Test
    void appendsAllEventsOfACommitAtConsecutivePositions() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        engine.appendEvents(event("a", 0, "a0"), event("a", 1, "a1"), event("b", 0, "b0"));

        List<TrackedEventMessage<?>> read = readAll(engine, null);

        assertThat(texts(read)).containsExactly("a0", "a1", "b0");
        assertThat(read).extracting(e -> e.trackingToken().position().getAsLong()).containsExactly(0L, 1L, 2L);
        assertThat(store.database().getCollection(MongoEventStorageEngine.COMMITS).countDocuments()).isEqualTo(1);
    }

    @Test
    void aCommitThatConflictsIsStoredNotAtAll() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        engine.appendEvents(event("a", 0, "a0"), event("a", 1, "a1"));

        assertThatThrownBy(() -> engine.appendEvents(event("b", 0, "b0"), event("a", 1, "a1 again")))
                .isInstanceOf(ConcurrencyException.class)
                .hasMessageContaining("[a]");
        assertThatThrownBy(() -> engine.appendEvents(event("c", 0, "c0"), event("a", 0, "a0 again")))
                .isInstanceOf(AggregateStreamCreationException.class);

        assertThat(texts(readAll(engine, null))).containsExactly("a0", "a1");
        assertThat(engine.readEvents("c").asStream()).isEmpty();
        assertThat(engine.readEvents("b").asStream()).isEmpty();
    }

    @Test
    void twoRacingCommandsOnOneAggregateOneWinsTheOtherIsRefused() throws Exception {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        engine.appendEvents(event("a", 0, "created"));
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String text = "racer " + i;
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    engine.appendEvents(event("a", 1, text));
                    return true;
                } catch (ConcurrencyException refused) {
                    return false;
                }
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> outcome : outcomes) {
            winners += outcome.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(winners).isEqualTo(1);
        assertThat(engine.readEvents("a").asStream()).hasSize(2);
    }

    @Test
    void concurrentCommandsOnDifferentAggregatesAreAllStoredAtDistinctPositions() throws Exception {
        // two engines on one store.database(), as two instances of a service: reservations race across them too
        MongoEventStorageEngine[] engines = {engine(GapPolicy.DEFAULT), engine(GapPolicy.DEFAULT)};
        int writers = 6;
        int commits = 40;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String writer = "writer-" + w;
            MongoEventStorageEngine engine = engines[w % 2];
            done.add(pool.submit(() -> {
                start.await();
                for (int c = 0; c < commits; c++) {
                    engine.appendEvents(event(writer + "-" + c, 0, "first"), event(writer + "-" + c, 1, "second"));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : done) {
            writer.get();
        }
        pool.shutdown();

        List<TrackedEventMessage<?>> all = readAll(engines[0], null);
        assertThat(all).hasSize(writers * commits * 2);
        assertThat(all.stream().map(e -> ((GapAwareTrackingToken) e.trackingToken()).getIndex()).distinct())
                .hasSize(writers * commits * 2);
    }

    @Test
    void aReaderNeverSkipsACommitThatBecomesVisibleAfterALaterOne() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        engine.appendEvents(event("a", 0, "first"));
        long slow = engine.reservePositions(1);
        engine.appendEvents(event("b", 0, "overtaking"));

        List<TrackedEventMessage<?>> before = readAll(engine, null);
        assertThat(texts(before)).containsExactly("first", "overtaking");
        GapAwareTrackingToken token = (GapAwareTrackingToken) before.getLast().trackingToken();
        assertThat(token.getGaps()).containsExactly(slow);

        engine.writeCommit(slow, List.of(event("c", 0, "late")), serializer);

        List<TrackedEventMessage<?>> after = readAll(engine, token);
        assertThat(texts(after)).containsExactly("late");
        GapAwareTrackingToken filled = (GapAwareTrackingToken) after.getLast().trackingToken();
        assertThat(filled.getGaps()).isEmpty();
        assertThat(filled.getIndex()).isEqualTo(slow + 1);
    }

    @Test
    void aGapIsGivenUpAfterTheGapTimeout() {
        MongoEventStorageEngine engine = engine(new GapPolicy(Duration.ofMillis(300), 10_000));
        long lost = engine.reservePositions(1);
        engine.appendEvents(event("a", 0, "after the lost one"));
        TrackingToken token = readAll(engine, null).getLast().trackingToken();
        assertThat(((GapAwareTrackingToken) token).getGaps()).containsExactly(lost);

        // the first fetch after the gap is seen starts its clock; once it has run out the next event's token drops it
        assertThat(readAll(engine, token)).isEmpty();
        nanos.addAndGet(Duration.ofMillis(350).toNanos());
        engine.appendEvents(event("a", 1, "later"));

        assertThat(engine.givenUpGaps()).isZero();
        GapAwareTrackingToken next = (GapAwareTrackingToken) readAll(engine, token).getLast().trackingToken();
        assertThat(next.getGaps()).isEmpty();
        assertThat(engine.givenUpGaps()).as("counted, and logged with its position").isEqualTo(1);
        readAll(engine, token);
        assertThat(engine.givenUpGaps()).as("once per gap, however many readers give it up").isEqualTo(1);
    }

    @Test
    void aReaderIsNotStalledByAWholeBatchOfFailedCommits() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        engine.reservePositions(250);
        engine.appendEvents(event("a", 0, "beyond the failures"));

        assertThat(texts(readAll(engine, null))).containsExactly("beyond the failures");
    }

    @Test
    void loadingAnAggregateStartsFromItsSnapshot() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        for (int i = 0; i < 250; i++) {
            engine.appendEvents(event("a", i, "a" + i), event("other", i, "o" + i));
        }
        engine.storeSnapshot(new GenericDomainEventMessage<>("Note", "a", 239, new Noted("state at 239")));

        assertThat(engine.readSnapshot("a")).hasValueSatisfying(
                s -> assertThat(((Noted) s.getPayload()).text()).isEqualTo("state at 239"));
        assertThat(engine.readEvents("a", 240).asStream().map(e -> ((Noted) e.getPayload()).text()))
                .containsExactly("a240", "a241", "a242", "a243", "a244", "a245", "a246", "a247", "a248", "a249");
        assertThat(engine.readEvents("a").asStream()).hasSize(250);
        assertThat(engine.lastSequenceNumberFor("a")).contains(249L);
    }

    @Test
    void anOlderSnapshotDoesNotReplaceANewerOne() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        engine.storeSnapshot(new GenericDomainEventMessage<>("Note", "a", 20, new Noted("at 20")));
        engine.storeSnapshot(new GenericDomainEventMessage<>("Note", "a", 10, new Noted("at 10")));

        assertThat(engine.readSnapshot("a")).hasValueSatisfying(s -> assertThat(s.getSequenceNumber()).isEqualTo(20));
    }

    @Test
    void theHeadTokenKeepsReservedButInvisiblePositionsAsGaps() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        engine.appendEvents(event("a", 0, "a0"));
        long inFlight = engine.reservePositions(1);
        engine.appendEvents(event("a", 1, "a1"));

        GapAwareTrackingToken head = (GapAwareTrackingToken) engine.createHeadToken();
        assertThat(head.getIndex()).isEqualTo(inFlight + 1);
        assertThat(head.getGaps()).containsExactly(inFlight);

        engine.writeCommit(inFlight, List.of(event("b", 0, "in flight")), serializer);
        assertThat(texts(readAll(engine, head))).containsExactly("in flight");
    }

    @Test
    void aReadFromTheTailAcrossManyBatchesDeliversEveryEventOnceInOrder() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        for (int i = 0; i < 120; i++) {
            engine.appendEvents(event("a" + (i % 7), i / 7, "e" + i), event("b" + i, 0, "f" + i));
        }
        List<TrackedEventMessage<?>> read = readAll(engine, engine.createTailToken());
        assertThat(read).hasSize(240);
        assertThat(read).extracting(e -> e.trackingToken().position().getAsLong())
                        .isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aReaderCatchingUpFromFarBehindMissesNoCommitThatBecomesVisibleLate() {
        MongoEventStorageEngine engine = engine(GapPolicy.DEFAULT);
        long slow = -1;
        int stored = 0;
        for (int commit = 0; stored < MongoEventStorageEngine.READ_AHEAD + 300; commit++) {
            if (commit == 20) {
                slow = engine.reservePositions(1);
            }
            DomainEventMessage<?>[] events = new DomainEventMessage<?>[10];
            for (int e = 0; e < 10; e++) {
                events[e] = event("agg" + commit, e, "e" + stored++);
            }
            engine.appendEvents(events);
        }

        List<TrackedEventMessage<?>> first = readAll(engine, engine.createTailToken());
        assertThat(first).hasSize(stored);
        assertThat(first).extracting(e -> e.trackingToken().position().getAsLong()).isSorted().doesNotHaveDuplicates();
        assertThat(texts(first)).containsExactlyElementsOf(
                IntStream.range(0, stored).mapToObj(i -> "e" + i).toList());
        GapAwareTrackingToken token = (GapAwareTrackingToken) first.getLast().trackingToken();
        assertThat(token.getGaps()).as("the reserved position is still awaited").contains(slow);

        engine.writeCommit(slow, List.of(event("late", 0, "late")), serializer);
        assertThat(texts(readAll(engine, token))).containsExactly("late");
    }
}
