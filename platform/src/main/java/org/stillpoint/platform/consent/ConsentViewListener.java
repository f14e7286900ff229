package org.stillpoint.platform.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.annotation.KafkaListener;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.platform.publication.CloudEventHeaders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds {@link ClientConsentHistory} documents from the consent topic, a poll's records at a time: each client's
 * document is read once and written once per poll. Idempotent: each document remembers the client's last event
 * sequence applied, so a redelivered record changes nothing. After the documents it moves each partition's read
 * position in {@code consent_view_offsets}, which is how far {@link KafkaConsentGate} knows the view has read. Records
 * that cannot be applied stop the partition (retried), they are never skipped.
 */
public class ConsentViewListener {

    public static final String OFFSETS = "consent_view_offsets";
    public static final String LISTENER_ID = "stillpoint-consent-view";

    private static final Map<String, Class<?>> TYPES = Map.copyOf(Stream.of(
            ClientRegistered.class, ConsentGranted.class, ConsentWithdrawn.class, ConsentExpired.class)
            .collect(Collectors.toMap(CloudEventHeaders::typeOf, c -> c)));

    private final MongoTemplate mongo;
    private final ObjectMapper json;

    public ConsentViewListener(MongoTemplate mongo, ObjectMapper json) {
        this.mongo = mongo;
        this.json = json;
    }

    @KafkaListener(id = LISTENER_ID, topics = "${stillpoint.consent-view.topic}",
            groupId = "${spring.application.name}.consent-view",
            containerFactory = "stillpointConsentViewContainerFactory")
    public void on(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, ClientConsentHistory> changed = new LinkedHashMap<>();
        Map<String, ConsumerRecord<String, byte[]>> lastOfPartition = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Class<?> type = TYPES.get(CloudEventHeaders.text(record.headers(), CloudEventHeaders.TYPE));
            String sequence = CloudEventHeaders.text(record.headers(), CloudEventHeaders.SEQUENCE);
            if (type != null && record.key() != null && sequence != null) {
                Object event = read(record.value(), type);
                ClientConsentHistory current = changed.containsKey(record.key()) ? changed.get(record.key())
                        : mongo.findById(record.key(), ClientConsentHistory.class);
                (current == null ? ClientConsentHistory.unknown(record.key()) : current)
                        .apply(event, Long.parseLong(sequence), CloudEventHeaders.text(record.headers(), CloudEventHeaders.ID))
                        .ifPresent(next -> changed.put(record.key(), next));
            }
            lastOfPartition.put(offsetKey(record.topic(), record.partition()), record);
        }
        // the views first, then how far they have read: the gate never trusts a position whose events are not applied
        changed.values().forEach(mongo::save);
        lastOfPartition.forEach((key, record) -> mongo.findAndModify(
                Query.query(Criteria.where("_id").is(key)),
                new Update().max("next", record.offset() + 1).set("topic", record.topic()).set("partition", record.partition()),
                FindAndModifyOptions.options().upsert(true), Document.class, OFFSETS));
    }

    static String offsetKey(String topic, int partition) {
        return topic + "/" + partition;
    }

    private Object read(byte[] value, Class<?> type) {
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " on the consent topic", e);
        }
    }
}
