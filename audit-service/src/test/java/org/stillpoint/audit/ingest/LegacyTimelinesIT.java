package org.stillpoint.audit.ingest;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.FreshDatabase;
import org.stillpoint.testsupport.UsesBackends;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A timeline an earlier version kept inside the client's document moves into documents of its own, once. */
@UsesBackends
class LegacyTimelinesIT {

    @RegisterExtension
    final FreshDatabase store = new FreshDatabase("legacy-timelines");

    @Test
    void entriesKeptInTheClientsDocumentBecomeDocumentsOfTheirOwn() {
        ClientId client = ClientId.random();
        Instant registered = Instant.parse("2026-03-01T09:00:00Z");
        Instant erased = Instant.parse("2026-06-01T09:00:00Z");
        store.database().getCollection(AuditClient.COLLECTION).insertOne(new Document("_id", client.toString())
                .append("organisationId", "stillwater").append("clinicId", "harbour-street")
                .append("entries", List.of(entry("e-1", "stillpoint.consent.client-registered.v1", "consent", registered),
                                           entry("e-2", "stillpoint.consent.client-erased.v1", "consent", erased))));
        try (MongoClient mongo = MongoClients.create(Backends.shared().mongoConnectionString())) {
            MongoTemplate template = new MongoTemplate(mongo, store.database().getName());

            assertThat(LegacyTimelines.move(template)).isEqualTo(1);
            assertThat(LegacyTimelines.move(template)).as("once").isZero();

            AuditQueries queries = new AuditQueries(template);
            assertThat(queries.entries(client)).extracting(AuditEntry::eventId).containsExactly("e-1", "e-2");
            assertThat(queries.entries(client).getFirst().recordedAt()).isEqualTo(registered);
            AuditClient placed = queries.client(client).orElseThrow();
            assertThat(placed.organisationId()).isEqualTo("stillwater");
            assertThat(placed.erasedAt()).isEqualTo(erased);
            assertThat(store.database().getCollection(AuditClient.COLLECTION).find().first()).doesNotContainKey("entries");
        }
    }

    private static Document entry(String eventId, String type, String kind, Instant at) {
        return new Document("eventId", eventId).append("type", type).append("kind", kind)
                                               .append("service", "consent-service").append("occurredAt", Date.from(at))
                                               .append("recordedAt", Date.from(at)).append("actor", "pat")
                                               .append("consents", List.of()).append("summary", type)
                                               .append("payload", "{}");
    }
}
