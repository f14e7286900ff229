package org.stillpoint.platform.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.stillpoint.contracts.PublishedTypes;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * What a consumer checks before it trusts a record (DESIGN §3): a known type, published on its own topic by the topic's
 * owner and signed by it, with an id, a time and a sequence that parse, a body that reads as that type, and a key that is the client the
 * body is about. A record that fails is an {@link InvalidRecord}, parked with the reason — never applied, never skipped
 * silently.
 */
public final class RecordChecks {

    private RecordChecks() {
    }

    /**
     * A record that passed the checks.
     *
     * @param sequence the aggregate sequence ({@code ce_sequence}); null for events of no aggregate
     * @param body     the value as a JSON tree
     * @param event    the value read as {@code type}
     * @param clientId the client the body is about, which is the key; null only for an operator's act on a record
     *                 that named no client
     */
    public record Checked(String eventId, String ceType, Class<?> type, String source, Instant time, String aggregateId,
                          Long sequence, String clientId, JsonNode body, Object event) {
    }

    /**
     * Checks a record against the types this consumer knows. A record on one of the contract's topics must be of a type
     * that travels there; a topic of another name (a test's or a benchmark's copy) is read as the topic of its type.
     */
    public static Checked check(ConsumerRecord<String, byte[]> record, Set<Class<?>> known, ObjectMapper json,
                                RecordVerifier signatures) {
        String contractTopic = PublishedTypes.sourcesOf(record.topic()).isEmpty()
                ? PublishedTypes.of(CloudEventHeaders.text(record.headers(), CloudEventHeaders.TYPE))
                                .map(PublishedTypes::topicOf).orElse(record.topic())
                : record.topic();
        return check(record, contractTopic, known, json, signatures);
    }

    /**
     * As {@link #check(ConsumerRecord, Set, ObjectMapper, RecordVerifier)}, for a consumer that reads its topic as {@code contractTopic}
     * whatever the topic's name (such as {@code stillpoint.consent.v1} under another name in a test).
     */
    public static Checked check(ConsumerRecord<String, byte[]> record, String contractTopic, Set<Class<?>> known,
                                ObjectMapper json, RecordVerifier signatures) {
        CloudEvent cloudEvent;
        try {
            cloudEvent = beforeTheSignature(record, contractTopic, known);
        } catch (InvalidRecord invalid) {
            // wrong before its signature was looked at: a producer's own mistake only if a producer signed it
            throw signedByAnOwner(record, contractTopic, signatures) ? invalid : invalid.unauthenticated();
        }
        return afterTheSignature(record, cloudEvent, json, signatures);
    }

    /** The checks that need no trust in the record: a CloudEvent of a type this consumer reads, on its topic. */
    private static CloudEvent beforeTheSignature(ConsumerRecord<String, byte[]> record, String contractTopic,
                                                 Set<Class<?>> known) {
        CloudEvent cloudEvent = cloudEvent(record);
        String id = required(cloudEvent.getId(), CloudEventHeaders.ID);
        String ceType = required(cloudEvent.getType(), CloudEventHeaders.TYPE);
        Class<?> type = PublishedTypes.of(ceType).filter(known::contains).orElseThrow(() -> new InvalidRecord(
                "unknown-type", "type " + ceType + " is not one this consumer reads"));
        if (!PublishedTypes.topicOf(type).equals(contractTopic)) {
            throw new InvalidRecord("wrong-topic", "type " + ceType + " does not travel on " + contractTopic);
        }
        String source = required(cloudEvent.getSource().toString(), CloudEventHeaders.SOURCE);
        if (!PublishedTypes.sourcesOf(contractTopic).contains(source)) {
            throw new InvalidRecord("foreign-source", "source " + source + " does not publish to " + contractTopic);
        }
        return cloudEvent;
    }

    /** Whether an owner of the topic, as the record's {@code ce_source} names it, signed the record. */
    private static boolean signedByAnOwner(ConsumerRecord<String, byte[]> record, String contractTopic,
                                           RecordVerifier signatures) {
        String source = CloudEventHeaders.text(record.headers(), CloudEventHeaders.SOURCE);
        if (source == null || !PublishedTypes.sourcesOf(contractTopic).contains(source)) {
            return false;
        }
        try {
            signatures.verify(record, source);
            return true;
        } catch (InvalidRecord unsigned) {
            return false;
        }
    }

    private static Checked afterTheSignature(ConsumerRecord<String, byte[]> record, CloudEvent cloudEvent,
                                             ObjectMapper json, RecordVerifier signatures) {
        String id = cloudEvent.getId();
        String ceType = cloudEvent.getType();
        Class<?> type = PublishedTypes.of(ceType).orElseThrow();
        String source = cloudEvent.getSource().toString();
        signatures.verify(record, source);
        if (cloudEvent.getTime() == null) {
            throw new InvalidRecord("missing-attribute", "the record has no " + CloudEventHeaders.TIME);
        }
        Instant time = cloudEvent.getTime().toInstant();
        String aggregateId = extension(cloudEvent, "aggregateid");
        String sequenceText = extension(cloudEvent, "sequence");
        Long sequence = null;
        if (aggregateId != null || sequenceText != null) {
            try {
                sequence = Long.parseLong(sequenceText);
            } catch (NumberFormatException e) {
                throw new InvalidRecord("bad-sequence", "ce_sequence is not a whole number");
            }
            if (sequence < 0 || aggregateId == null) {
                throw new InvalidRecord("bad-sequence", "ce_sequence needs ce_aggregateid and must not be negative");
            }
        }
        JsonNode body;
        Object event;
        try {
            body = json.readTree(record.value() == null ? new byte[0] : record.value());
            if (body == null || !body.isObject()) {
                throw new InvalidRecord("unreadable", "the value is not a JSON object");
            }
            event = json.treeToValue(body, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRecord("unreadable", "the value does not read as " + type.getSimpleName());
        }
        String clientId = body.path("clientId").isTextual() ? body.get("clientId").asText() : null;
        String subject = cloudEvent.getSubject();
        if (clientId == null && !PublishedTypes.mayNameNoClient(type)) {
            throw new InvalidRecord("key-mismatch", "the body names no client");
        }
        if (record.key() == null || (clientId != null && !clientId.equals(record.key()))
                || (subject != null && !subject.equals(record.key()))) {
            throw new InvalidRecord("key-mismatch", "the record's key is not the client id of its body and subject");
        }
        return new Checked(id, ceType, type, source, time, aggregateId, sequence, clientId, body, event);
    }

    /** The record read as a CloudEvent by the SDK; one that is none is {@code missing-attribute} or {@code bad-time}. */
    private static CloudEvent cloudEvent(ConsumerRecord<String, byte[]> record) {
        try {
            return CloudEventHeaders.read(record);
        } catch (CloudEventRWException | IllegalArgumentException | DateTimeException e) {
            String time = CloudEventHeaders.text(record.headers(), CloudEventHeaders.TIME);
            if (time != null && !parses(time)) {
                throw new InvalidRecord("bad-time", "ce_time is not an RFC 3339 time");
            }
            throw new InvalidRecord("missing-attribute", "the record is not a CloudEvent in binary mode: "
                    + e.getMessage());
        }
    }

    private static boolean parses(String time) {
        try {
            OffsetDateTime.parse(time);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecord("missing-attribute", "the record has no " + name);
        }
        return value;
    }

    private static String extension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return value == null ? null : value.toString();
    }
}
