package org.stillpoint.delivery.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * Every attempt to deliver a record to a subscription's endpoint, and every record the service would not send: what the
 * integrator and the compliance officer read to see what was sent, when, and what the endpoint answered. It holds
 * where the record is and what the endpoint said (the first bytes of its answer), never the record's content.
 */
public class DeliveryLog {

    private final MongoTemplate mongo;

    public DeliveryLog(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** How an attempt ended. */
    public enum Outcome {
        /** The endpoint answered 2xx: the subscription moved on. */
        DELIVERED,
        /** Anything else: it is tried again later. */
        FAILED,
        /** The endpoint answered 410 Gone: the subscription is disabled. */
        GONE,
        /** The record failed the checks every consumer makes (signature, type, source): never sent. */
        REFUSED_RECORD
    }

    /**
     * One attempt.
     *
     * @param status    the endpoint's HTTP status; null when there was no answer (a timeout, a refused connection)
     * @param error     what went wrong, in words; null when delivered
     * @param answer    the first bytes of the endpoint's answer
     */
    @Document("delivery_attempts")
    @CompoundIndex(name = "subscription_at", def = "{'subscriptionId': 1, 'at': -1}")
    public record Attempt(@Id String id, String subscriptionId, String webhookId, String eventId, String eventType,
                          String clientId, String topic, int partition, long offset, int attempt, boolean redelivery,
                          Instant at, Integer status, long latencyMillis, Outcome outcome, String error,
                          String answer) {
    }

    public void add(Attempt attempt) {
        mongo.insert(attempt);
    }

    /**
     * A subscription's attempts, the newest first; only those of {@code webhookId} when given, only those before
     * {@code before} when given (the next page).
     */
    public List<Attempt> of(String subscriptionId, String webhookId, Instant before, int limit) {
        Criteria criteria = where("subscriptionId").is(subscriptionId);
        if (webhookId != null) {
            criteria = criteria.and("webhookId").is(webhookId);
        }
        if (before != null) {
            criteria = criteria.and("at").lt(before);
        }
        Query query = query(criteria).with(Sort.by(Sort.Direction.DESC, "at")).limit(limit);
        return mongo.find(query, Attempt.class);
    }

    /** The latest attempt of a message, to find where its record is. */
    public Optional<Attempt> latest(String subscriptionId, String webhookId) {
        return of(subscriptionId, webhookId, null, 1).stream().findFirst();
    }
}
