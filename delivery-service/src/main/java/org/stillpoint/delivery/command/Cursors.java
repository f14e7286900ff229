package org.stillpoint.delivery.command;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Update;

import java.util.Map;
import java.util.Optional;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * Each subscription's own position in each partition of its organisation's topics: the offset of the next record it
 * delivers. Kept here, not as a consumer group's offsets, so that a replay can move it while a worker delivers, and a
 * worker's step forward is taken only from where it stood (compare and set). Every read and write is by id.
 */
public class Cursors {

    private final MongoTemplate mongo;

    public Cursors(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** A subscription's position in one partition. */
    @Document("delivery_cursors")
    public record Cursor(@Id String id, String subscriptionId, String topic, int partition, long next) {
    }

    public Optional<Cursor> at(String subscriptionId, String topic, int partition) {
        return Optional.ofNullable(mongo.findById(id(subscriptionId, topic, partition), Cursor.class));
    }

    /** The position, set to {@code offset} if there was none yet; an existing one wins. */
    public Cursor start(String subscriptionId, String topic, int partition, long offset) {
        try {
            return mongo.insert(new Cursor(id(subscriptionId, topic, partition), subscriptionId, topic, partition, offset));
        } catch (DuplicateKeyException existing) {
            return at(subscriptionId, topic, partition).orElseThrow();
        }
    }

    /** Moves the position from {@code from} to {@code to}; false when it no longer stood at {@code from} (a replay). */
    public boolean advance(String subscriptionId, String topic, int partition, long from, long to) {
        return mongo.updateFirst(query(where("_id").is(id(subscriptionId, topic, partition)).and("next").is(from)),
                                 new Update().set("next", to), Cursor.class).getModifiedCount() == 1;
    }

    /** Puts the position of each partition where a replay starts. */
    void rewind(String subscriptionId, Map<Partition, Long> positions) {
        positions.forEach((partition, offset) -> mongo.upsert(
                query(where("_id").is(id(subscriptionId, partition.topic(), partition.partition()))),
                new Update().set("subscriptionId", subscriptionId).set("topic", partition.topic())
                            .set("partition", partition.partition()).set("next", offset), Cursor.class));
    }

    private static String id(String subscriptionId, String topic, int partition) {
        return subscriptionId + "/" + topic + "/" + partition;
    }
}
