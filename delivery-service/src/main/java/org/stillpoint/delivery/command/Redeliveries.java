package org.stillpoint.delivery.command;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Update;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * Records already delivered, asked for again: a stretch of one partition, sent again in order by the worker that holds
 * the partition, without moving the subscription's position. Each is done once.
 */
public class Redeliveries {

    private final MongoTemplate mongo;

    public Redeliveries(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** A stretch of a partition to send again, {@code from} to {@code to}, both included. */
    @Document("delivery_redeliveries")
    public record Redelivery(@Id String id, String subscriptionId, String topic, int partition, long from, long to,
                             boolean done, String askedBy, Instant askedAt) {
    }

    void ask(Redelivery redelivery) {
        mongo.insert(redelivery);
    }

    /** The subscription's stretches not sent again yet, the oldest first. */
    public List<Redelivery> pending(String subscriptionId) {
        return mongo.find(query(where("subscriptionId").is(subscriptionId).and("done").is(false)), Redelivery.class)
                    .stream().sorted(Comparator.comparing(Redelivery::askedAt)).toList();
    }

    public void done(Redelivery redelivery) {
        mongo.updateFirst(query(where("_id").is(redelivery.id())), new Update().set("done", true), Redelivery.class);
    }
}
