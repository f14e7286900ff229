package org.stillpoint.consentview;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.platform.record.InvalidRecord;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.record.RecordChecks;
import org.stillpoint.platform.erasure.ErasureHandler;
import org.stillpoint.platform.record.RecordVerifier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds {@link ClientConsentHistory} documents from the consent topic, a poll's records at a time: each client's
 * document is read once and written once per poll. Idempotent: each document remembers the client's last event
 * sequence applied, so a redelivered record changes nothing. After the documents it moves each partition's read
 * position in {@code consent_view_offsets}, which is how far {@link KafkaConsentGate} knows the view has read.
 * <p>
 * A record is checked before it is applied ({@link RecordChecks}; a second registration of a known client, and a
 * sequence that jumps over one not yet applied, are refused too). One that fails is retried a bounded number of times and then parked in the {@link Quarantine}, which holds its
 * client: later records of that client queue behind it, and the gate answers for that client that its record is held,
 * while every other client flows.
 */
public class ConsentViewListener {

    public static final String OFFSETS = "consent_view_offsets";
    public static final String LISTENER_ID = "stillpoint-consent-view";

    /**
     * Every type consent-service publishes on its topic: the view applies the ones that change consent and moves past
     * the others (a request for a copy, say), so a type added to the topic never parks a client here.
     */
    private static final Set<Class<?>> TYPES = PublishedTypes.all().stream()
            .filter(type -> PublishedTypes.typeOf(type).startsWith("stillpoint.consent.")).collect(Collectors.toUnmodifiableSet());

    private final MongoTemplate mongo;
    private final List<ErasureHandler> erasure;
    private final ObjectMapper json;
    private final RecordVerifier signatures;
    private final Quarantine quarantine;
    private final String group;

    /** @param group the consumer group, which is also the group the quarantine holds clients for */
    public ConsentViewListener(MongoTemplate mongo, ObjectMapper json, RecordVerifier signatures, Quarantine quarantine,
                               String group) {
        this(mongo, json, signatures, quarantine, group, List.of());
    }

    /** @param erasure what this service does when a client is erased, run as the view applies the erasure */
    public ConsentViewListener(MongoTemplate mongo, ObjectMapper json, RecordVerifier signatures, Quarantine quarantine,
                               String group, List<ErasureHandler> erasure) {
        this.erasure = List.copyOf(erasure);
        this.mongo = mongo;
        this.json = json;
        this.signatures = signatures;
        this.quarantine = quarantine;
        this.group = group;
        quarantine.handle(group, this::applyOne);
    }

    @KafkaListener(id = LISTENER_ID, topics = "${stillpoint.consent-view.topic}",
            groupId = "${spring.application.name}.consent-view",
            containerFactory = "stillpointConsentViewContainerFactory")
    public void on(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, ClientConsentHistory> changed = new LinkedHashMap<>();
        Map<String, ConsumerRecord<String, byte[]>> lastOfPartition = new LinkedHashMap<>();
        Set<String> held = quarantine.held(group, records.stream().map(ConsumerRecord::key).toList());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            try {
                if (!held.contains(record.key()) || !queued(record, changed)) {
                    apply(record, changed);
                }
            } catch (RuntimeException e) {
                // what was applied before it stays applied; this record alone is retried, then parked
                flush(changed, lastOfPartition);
                throw new BatchListenerFailedException("consent view could not apply " + record.topic() + "/"
                                                               + record.partition() + "@" + record.offset(), e, i);
            }
            lastOfPartition.put(offsetKey(record.topic(), record.partition()), record);
        }
        flush(changed, lastOfPartition);
    }

    /** Queues a held client's record; false when the hold was released meanwhile and it must be applied now. */
    private boolean queued(ConsumerRecord<String, byte[]> record, Map<String, ClientConsentHistory> changed) {
        // anything of this client applied earlier in the poll goes first
        ClientConsentHistory pending = changed.remove(record.key());
        if (pending != null) {
            mongo.save(pending);
        }
        return quarantine.queue(group, record);
    }

    /** A parked record is handled as far as the view's read position goes: the gate now answers that it is held. */
    public void parked(ConsumerRecord<?, ?> record) {
        moveReadPosition(record.topic(), record.partition(), record.offset());
    }

    /** Applies one record at once: what a release of a held client calls, in the client's order. */
    private void applyOne(ConsumerRecord<String, byte[]> record) {
        Map<String, ClientConsentHistory> changed = new LinkedHashMap<>();
        apply(record, changed);
        changed.values().forEach(mongo::save);
    }

    private void apply(ConsumerRecord<String, byte[]> record, Map<String, ClientConsentHistory> changed) {
        RecordChecks.Checked checked = RecordChecks.check(record, PublishedTypes.CONSENT_TOPIC, TYPES, json, signatures);
        ClientConsentHistory current = changed.containsKey(record.key()) ? changed.get(record.key())
                : mongo.findById(record.key(), ClientConsentHistory.class);
        ClientConsentHistory history = current == null ? ClientConsentHistory.unknown(record.key()) : current;
        if (checked.sequence() == null) {
            throw new InvalidRecord("bad-sequence", "a consent event without ce_sequence");
        }
        if (checked.event() instanceof ClientRegistered && history.registered() && checked.sequence() > history.sequence()) {
            throw new InvalidRecord("duplicate-registration", "a second registration of a client the view knows");
        }
        if (checked.sequence() > history.sequence() + 1) {
            // a client's consent events number 0, 1, 2, ...: one arriving before its predecessor would leave a hole
            throw new InvalidRecord("sequence-gap", "consent sequence " + checked.sequence() + " arrived before "
                    + (history.sequence() + 1));
        }
        if (checked.event() instanceof ClientErased erased) {
            // before the view says erased: a redelivery after a crash in between erases again, which changes nothing
            erasure.forEach(handler -> handler.erase(erased));
        }
        history.apply(checked.event(), checked.sequence(), checked.eventId())
               .ifPresent(next -> changed.put(record.key(), next));
    }

    private void flush(Map<String, ClientConsentHistory> changed,
                       Map<String, ConsumerRecord<String, byte[]>> lastOfPartition) {
        // the views first, then how far they have read: the gate never trusts a position whose events are not applied
        changed.values().forEach(mongo::save);
        changed.clear();
        lastOfPartition.values().forEach(r -> moveReadPosition(r.topic(), r.partition(), r.offset()));
        lastOfPartition.clear();
    }

    private void moveReadPosition(String topic, int partition, long offset) {
        mongo.findAndModify(Query.query(Criteria.where("_id").is(offsetKey(topic, partition))),
                            new Update().max("next", offset + 1).set("topic", topic).set("partition", partition),
                            FindAndModifyOptions.options().upsert(true), Document.class, OFFSETS);
    }

    static String offsetKey(String topic, int partition) {
        return topic + "/" + partition;
    }
}
