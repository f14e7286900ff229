package org.stillpoint.platform.eventstore;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.stillpoint.platform.metrics.CommandStages;
import org.stillpoint.testsupport.InMemoryStore;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write side on its own, over an in-memory wire-protocol store: a command's events are one commit at consecutive
 * reserved positions; a second writer of the same aggregate sequence is refused whole and told which event conflicted;
 * an aggregate's stream is read back in order and stops at its first hole; a reservation never written stays a gap.
 */
class CommitsTest {

    /** What a note says. */
    record Noted(String text) {
    }

    private final Serializer serializer = JacksonSerializer.defaultSerializer();
    private final com.mongodb.client.MongoDatabase database = InMemoryStore.client()
                                                                           .getDatabase("commits-" + UUID.randomUUID());
    private final List<EventMessage<?>> refused = new ArrayList<>();
    private final Commits commits = new Commits(database, CommandStages.unread(), (e, event) -> refused.add(event));

    @Test
    void aCommandsEventsAreOneCommitAtConsecutivePositions() {
        commits.append(List.of(event("a", 0, "first"), event("a", 1, "second")), serializer);
        commits.append(List.of(event("b", 0, "other")), serializer);

        List<Document> stored = database.getCollection(Commits.COLLECTION).find().into(new ArrayList<>());
        assertThat(stored).hasSize(2);
        assertThat(stored.getFirst().getList("positions", Long.class)).containsExactly(0L, 1L);
        assertThat(stored.getFirst().getList("streamKeys", String.class)).containsExactly("a/0", "a/1");
        assertThat(stored.get(1).getList("positions", Long.class)).containsExactly(2L);
        assertThat(commits.nextPosition()).isEqualTo(3);
    }

    @Test
    void aSecondWriterOfTheSameSequenceIsRefusedWholeAndToldWhichEventConflicted() {
        commits.append(List.of(event("a", 0, "first"), event("a", 1, "second")), serializer);

        DomainEventMessage<?> conflicting = event("a", 1, "again");
        commits.append(List.of(event("c", 0, "innocent"), conflicting), serializer);

        assertThat(refused).containsExactly(conflicting);
        assertThat(commits.stream("c", 0, 10)).as("none of the refused commit is stored").isEmpty();
        assertThat(texts(commits.stream("a", 0, 10))).containsExactly("first", "second");
    }

    @Test
    void anAggregatesStreamIsReadInOrderFromASequenceAndStopsAtAHole() {
        commits.append(List.of(event("a", 0, "zero"), event("a", 1, "one")), serializer);
        commits.append(List.of(event("a", 2, "two")), serializer);
        commits.append(List.of(event("a", 4, "four, after a hole")), serializer);

        assertThat(texts(commits.stream("a", 1, 10))).containsExactly("one", "two");
        assertThat(texts(commits.stream("a", 0, 2))).as("at most a batch").containsExactly("zero", "one");
    }

    @Test
    void aReservationNeverWrittenIsAGapThatTheNextCommitDoesNotFill() {
        long reserved = commits.reservePositions(2);
        commits.append(List.of(event("a", 0, "after it")), serializer);

        assertThat(reserved).isZero();
        assertThat(database.getCollection(Commits.COLLECTION).find().first().getList("positions", Long.class))
                .containsExactly(2L);
    }

    private List<String> texts(List<DomainEventData<?>> entries) {
        return entries.stream().map(e -> serializer.deserialize(e.getPayload())).map(p -> ((Noted) p).text()).toList();
    }

    private static DomainEventMessage<Noted> event(String aggregate, long sequence, String text) {
        return new GenericDomainEventMessage<>("Note", aggregate, sequence, new Noted(text));
    }
}
