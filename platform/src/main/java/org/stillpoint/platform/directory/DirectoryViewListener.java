package org.stillpoint.platform.directory;

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
import org.stillpoint.contracts.directory.DirectoryEvent;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.record.InvalidRecord;
import org.stillpoint.platform.record.RecordChecks;
import org.stillpoint.platform.record.RecordVerifier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds {@link OrganisationDirectory} documents from the directory topic, a poll's records at a time: each
 * organisation's document read once and written once per poll, then each partition's read position in
 * {@code directory_view_offsets}, which is how far {@link KafkaDirectoryGate} knows the view has read. Idempotent by
 * the organisation's directory sequence.
 * <p>
 * A record is checked before it is applied ({@link RecordChecks}; a sequence that jumps over one not yet applied is
 * refused too). One that fails is retried a bounded number of times and then parked as a dead letter: an
 * unauthenticated one (forged, or signed by no owner of the topic) is parked and holds nothing; one its owner signed
 * holds the directory, whose later records queue behind it, and the gate refuses to decide on a directory it knows to
 * be incomplete ({@code 503 directory-held}) until an operator releases it.
 */
public class DirectoryViewListener {

    public static final String OFFSETS = "directory_view_offsets";
    public static final String LISTENER_ID = "stillpoint-directory-view";

    private static final Set<Class<?>> TYPES = PublishedTypes.all().stream()
            .filter(DirectoryEvent.class::isAssignableFrom).collect(Collectors.toUnmodifiableSet());

    private final MongoTemplate mongo;
    private final ObjectMapper json;
    private final RecordVerifier signatures;
    private final Quarantine quarantine;
    private final String group;

    /** @param group the consumer group, which is also the group the quarantine holds the directory for */
    public DirectoryViewListener(MongoTemplate mongo, ObjectMapper json, RecordVerifier signatures,
                                 Quarantine quarantine, String group) {
        this.mongo = mongo;
        this.json = json;
        this.signatures = signatures;
        this.quarantine = quarantine;
        this.group = group;
        quarantine.handle(group, this::applyOne);
    }

    @KafkaListener(id = LISTENER_ID, topics = "${stillpoint.directory.topic:" + PublishedTypes.DIRECTORY_TOPIC + "}",
            groupId = "${spring.application.name}.directory-view",
            containerFactory = "stillpointDirectoryViewContainerFactory")
    public void on(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, OrganisationDirectory> changed = new LinkedHashMap<>();
        Map<String, ConsumerRecord<String, byte[]>> lastOfPartition = new LinkedHashMap<>();
        Set<String> held = quarantine.held(group, records.stream().map(ConsumerRecord::key).toList());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            try {
                if (!held.contains(record.key()) || !queued(record, changed)) {
                    apply(record, changed);
                }
            } catch (RuntimeException e) {
                flush(changed, lastOfPartition);
                throw new BatchListenerFailedException("directory view could not apply " + record.topic() + "/"
                                                               + record.partition() + "@" + record.offset(), e, i);
            }
            lastOfPartition.put(offsetKey(record.topic(), record.partition()), record);
        }
        flush(changed, lastOfPartition);
    }

    private boolean queued(ConsumerRecord<String, byte[]> record, Map<String, OrganisationDirectory> changed) {
        changed.values().forEach(mongo::save);
        changed.clear();
        return quarantine.queue(group, record);
    }

    /** A parked record is handled as far as the view's read position goes. */
    public void parked(ConsumerRecord<?, ?> record) {
        moveReadPosition(record.topic(), record.partition(), record.offset());
    }

    private void applyOne(ConsumerRecord<String, byte[]> record) {
        Map<String, OrganisationDirectory> changed = new LinkedHashMap<>();
        apply(record, changed);
        changed.values().forEach(mongo::save);
    }

    private void apply(ConsumerRecord<String, byte[]> record, Map<String, OrganisationDirectory> changed) {
        RecordChecks.Checked checked = RecordChecks.check(record, PublishedTypes.DIRECTORY_TOPIC, TYPES, json,
                                                          signatures);
        DirectoryEvent event = (DirectoryEvent) checked.event();
        String organisation = event.organisationId() == null ? null : event.organisationId().toString();
        if (organisation == null || !organisation.equals(checked.aggregateId()) || checked.sequence() == null) {
            throw new InvalidRecord("bad-sequence", "a directory event is its organisation's: ce_aggregateid is the "
                    + "organisation, with a ce_sequence");
        }
        OrganisationDirectory current = changed.containsKey(organisation) ? changed.get(organisation)
                : mongo.findById(organisation, OrganisationDirectory.class);
        OrganisationDirectory directory = current == null ? OrganisationDirectory.empty(organisation) : current;
        if (checked.sequence() > directory.sequence() + 1) {
            throw new InvalidRecord("sequence-gap", "directory sequence " + checked.sequence() + " arrived before "
                    + (directory.sequence() + 1));
        }
        directory.apply(event, checked.sequence()).ifPresent(next -> changed.put(organisation, next));
    }

    private void flush(Map<String, OrganisationDirectory> changed,
                       Map<String, ConsumerRecord<String, byte[]>> lastOfPartition) {
        // the documents first, then how far they have read: the gate never trusts a position whose events are not applied
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
