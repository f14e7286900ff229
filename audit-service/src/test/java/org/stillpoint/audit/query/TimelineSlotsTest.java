package org.stillpoint.audit.query;

import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.IndexOperations;
import org.springframework.data.mongodb.core.index.IndexResolver;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's timeline as numbered places: entries take the next free place, once, whatever the head says; a page is
 * the places it covers; entries stored before places existed are placed in the order they were recorded.
 */
class TimelineSlotsTest {

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "timeline-" + UUID.randomUUID());
    private final TimelineSlots slots = new TimelineSlots(mongo);
    private final ClientId client = ClientId.random();
    private final Instant start = Instant.parse("2026-12-01T09:00:00Z");

    TimelineSlotsTest() {
        IndexOperations indexes = mongo.indexOps(AuditEntry.class);
        IndexResolver.create(mongo.getConverter().getMappingContext()).resolveIndexFor(AuditEntry.class)
                     .forEach(indexes::createIndex);
    }

    @Test
    void entriesTakeTheNextPlacesInTheOrderTheyArriveAndAPageIsThePlacesItCovers() {
        for (int i = 0; i < 7; i++) {
            slots.add(entry("e" + i, i % 2 == 0 ? "consent" : "access", i), slots.head(client.toString()));
        }

        assertThat(slots.page(client, null, 0, 3).entries()).extracting(AuditEntry::eventId).containsExactly("e0", "e1", "e2");
        assertThat(slots.page(client, null, 0, 3).hasNext()).isTrue();
        assertThat(slots.page(client, null, 2, 3).entries()).extracting(AuditEntry::eventId).containsExactly("e6");
        assertThat(slots.page(client, null, 2, 3).hasNext()).isFalse();
        assertThat(slots.page(client, "consent", 1, 3).entries()).extracting(AuditEntry::eventId).containsExactly("e6");
        assertThat(slots.page(client, "access", 0, 3).entries()).extracting(AuditEntry::eventId)
                                                                .containsExactly("e1", "e3", "e5");
        assertThat(slots.page(client, null, 9, 3).entries()).isEmpty();
        TimelineHead head = slots.head(client.toString());
        assertThat(head.count()).isEqualTo(7);
        assertThat(head.count("consent")).isEqualTo(4);
        assertThat(head.actors()).containsExactlyInAnyOrder("actor-0", "actor-1", "actor-2");
        assertThat(head.last()).isEqualTo(start.plusSeconds(6));
    }

    @Test
    void anEntryDeliveredAgainKeepsItsPlaceAndTheHeadStaysAsItWas() {
        AuditEntry first = slots.add(entry("e0", "consent", 0), TimelineHead.EMPTY);
        slots.add(entry("e1", "consent", 1), slots.head(client.toString()));
        TimelineHead head = slots.head(client.toString());

        AuditEntry again = slots.add(entry("e0", "consent", 0), head);

        assertThat(again.slot()).isEqualTo(first.slot());
        assertThat(mongo.count(Query.query(Criteria.where("clientId").is(client.toString())), AuditEntry.class)).isEqualTo(2);
        assertThat(slots.head(client.toString())).isEqualTo(head);
    }

    @Test
    void aPlaceAnotherWriterTookFirstSendsTheEntryToTheNextOneWithoutAHole() {
        slots.add(entry("e0", "consent", 0), TimelineHead.EMPTY);
        slots.add(entry("e1", "consent", 1), TimelineHead.EMPTY);
        // a second instance that read the head before both of them
        AuditEntry late = slots.add(entry("e2", "access", 2), TimelineHead.EMPTY);

        assertThat(late.position()).isEqualTo(2);
        assertThat(late.kindPosition()).isEqualTo(0);
        assertThat(slots.page(client, null, 0, 10).entries()).extracting(AuditEntry::position).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aCrashBeforeTheHeadGrewIsMendedByTheNextEntryAndByTheRedelivery() {
        AuditEntry stored = entry("e0", "consent", 0).placed(0, 0);
        mongo.insert(stored);

        AuditEntry next = slots.add(entry("e1", "consent", 1), TimelineHead.EMPTY);
        slots.add(entry("e0", "consent", 0), TimelineHead.EMPTY);

        assertThat(next.position()).isEqualTo(1);
        assertThat(slots.head(client.toString()).count()).isEqualTo(2);
        assertThat(slots.page(client, null, 0, 10).entries()).extracting(AuditEntry::eventId).containsExactly("e0", "e1");
    }

    @Test
    void entriesStoredWithoutPlacesArePlacedInTheOrderTheyWereRecordedOnce() {
        List<Integer> order = List.of(3, 0, 4, 1, 2);
        order.forEach(i -> mongo.insert(entry("e" + i, "session", i)));

        assertThat(slots.placeUnplaced()).isEqualTo(5);
        assertThat(slots.placeUnplaced()).isZero();

        assertThat(slots.page(client, null, 0, 10).entries()).extracting(AuditEntry::eventId)
                                                             .containsExactlyElementsOf(
                                                                     IntStream.range(0, 5).mapToObj(i -> "e" + i).toList());
        assertThat(slots.page(client, "session", 1, 2).entries()).extracting(AuditEntry::eventId)
                                                                 .containsExactly("e2", "e3");
        assertThat(slots.head(client.toString()).count()).isEqualTo(5);
    }

    private AuditEntry entry(String id, String kind, int second) {
        Instant at = start.plusSeconds(second);
        return new AuditEntry(id, client.toString(), "stillpoint." + kind + ".something.v1", kind, kind + "-service", at,
                              at, "actor-" + (second % 3), "harbour-street", null, List.of(), "summary " + id, null, "{}");
    }
}
