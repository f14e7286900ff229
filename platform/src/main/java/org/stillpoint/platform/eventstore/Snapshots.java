package org.stillpoint.platform.eventstore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.bson.Document;

import java.util.Optional;

/** An aggregate's latest snapshot, one document per aggregate; an older snapshot never replaces a newer one. */
final class Snapshots {

    static final String COLLECTION = "snapshots";

    private final MongoCollection<Document> snapshots;

    Snapshots(MongoDatabase database) {
        this.snapshots = database.getCollection(COLLECTION);
    }

    void store(DomainEventMessage<?> snapshot, Serializer serializer) {
        Document existing = snapshots.find(Filters.eq("_id", snapshot.getAggregateIdentifier()))
                                     .projection(new Document("sequence", 1)).first();
        if (existing != null && existing.getLong("sequence") >= snapshot.getSequenceNumber()) {
            return;
        }
        Document document = new Document("_id", snapshot.getAggregateIdentifier());
        document.putAll(Commits.serialized(snapshot, serializer));
        snapshots.replaceOne(Filters.eq("_id", snapshot.getAggregateIdentifier()), document,
                             new ReplaceOptions().upsert(true));
    }

    Optional<DomainEventData<?>> latest(String aggregateIdentifier) {
        Document snapshot = snapshots.find(Filters.eq("_id", aggregateIdentifier)).first();
        if (snapshot == null) {
            return Optional.empty();
        }
        return Optional.of(new GenericDomainEventEntry<>(
                snapshot.getString("aggregateType"), aggregateIdentifier, snapshot.getLong("sequence"),
                snapshot.getString("eventId"), snapshot.getString("timestamp"), snapshot.getString("payloadType"),
                snapshot.getString("payloadRevision"), snapshot.getString("payload"),
                snapshot.getString("metaData")));
    }

    /** The sequence of the aggregate's latest snapshot, if it has one. */
    Optional<Long> sequenceOf(String aggregateIdentifier) {
        Document snapshot = snapshots.find(Filters.eq("_id", aggregateIdentifier))
                                     .projection(new Document("sequence", 1)).first();
        return snapshot == null ? Optional.empty() : Optional.of(snapshot.getLong("sequence"));
    }
}
