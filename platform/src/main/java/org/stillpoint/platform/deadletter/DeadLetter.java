package org.stillpoint.platform.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A record a consumer did not apply: parked after its retries (or at once when it is invalid), or queued behind a parked
 * record of the same client so that the client's order is kept. Stored in the consuming service's own database, with
 * the record as it was read, so that an operator can retry it once the cause is removed.
 *
 * @param id        {@code group:topic:partition:offset}: one letter per record and consumer group
 * @param key       the record's key, the client id: the sequence a parked letter holds
 * @param headers   the record's headers as text (the CloudEvents attributes)
 * @param value     the record's value as read
 * @param reason    why it was not applied: a code from {@link InvalidRecord}, {@code failed} after retries, or
 *                  {@code queued} behind a parked letter
 * @param exception the class of the last failure; null for a queued letter
 * @param message   the last failure's message, without the record's content
 * @param attempts  how many times it was tried
 * @param unauthenticated true for a record no producer of its topic signed: parked and reported, holding nobody
 */
@Document(DeadLetter.COLLECTION)
public record DeadLetter(@Id String id, String group, String key, String topic, int partition, long offset,
                         Map<String, String> headers, byte[] value, Status status, String reason, String exception,
                         String message, int attempts, Instant firstAttempt, Instant lastAttempt, String resolvedBy,
                         String resolution, Instant resolvedAt, Boolean unauthenticated) {

    public static final String COLLECTION = "dead_letters";

    public enum Status {
        /** Failed; holds its client's later records until an operator retries or drops it. */
        PARKED,
        /** Behind a parked letter of the same client; applied in order when that one is released. */
        QUEUED,
        /** Being applied by a release. */
        APPLYING,
        /** Applied by a retry or a release. */
        APPLIED,
        /** Dropped by an operator, with a written reason. */
        DROPPED;

        /** Whether the letter still waits. */
        public boolean open() {
            return this == PARKED || this == QUEUED || this == APPLYING;
        }
    }

    /**
     * The organisation a record's value names ({@code organisationId}), if it names one: where a letter whose client
     * the service does not know, or an event waiting to be placed, belongs.
     */
    public static Optional<String> organisationNamedBy(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode body = VALUES.readTree(value);
            return body != null && body.path("organisationId").isTextual()
                    ? Optional.of(body.get("organisationId").asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static final ObjectMapper VALUES = new ObjectMapper();

    public static String id(String group, String topic, int partition, long offset) {
        return group + ":" + topic + ":" + partition + ":" + offset;
    }
}
