package org.stillpoint.platform.deadletter;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import java.util.function.Consumer;

/**
 * What happens to a record once its retries are spent (or at once, when it is invalid): it is stored as a parked
 * {@link DeadLetter} that holds its client, published to the consumer group's dead-letter topic with Spring Kafka's
 * {@link DeadLetterPublishingRecoverer} (the failure in its {@code kafka_dlt-*} headers, no stack trace) unless an
 * earlier round published it already, and then the consumer is told, so that a view's read position can move past it.
 * If a step fails the recoverer throws and the record is tried again: a record is never dropped unrecorded, and a store
 * that is away adds no copies to the dead-letter topic (at most one more if this instance dies between a send and its
 * record).
 */
public class QuarantineRecoverer implements ConsumerRecordRecoverer {

    private final String group;
    private final Quarantine quarantine;
    private final DeadLetterPublishingRecoverer topic;
    private final Consumer<ConsumerRecord<?, ?>> afterParked;

    public QuarantineRecoverer(String group, Quarantine quarantine, KafkaOperations<?, ?> template,
                               Consumer<ConsumerRecord<?, ?>> afterParked) {
        this.group = group;
        this.quarantine = quarantine;
        this.afterParked = afterParked;
        String deadLetterTopic = topicOf(group);
        this.topic = new DeadLetterPublishingRecoverer(template, (record, e) -> new TopicPartition(deadLetterTopic, -1));
        this.topic.excludeHeader(DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE);
        this.topic.setFailIfSendResultIsError(true);
    }

    /** The dead-letter topic of a consumer group. */
    public static String topicOf(String group) {
        return "stillpoint.dlt." + group;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Exception failure) {
        DeadLetter parked = quarantine.park(group, record, failure);
        if (!quarantine.publishedToTopic(parked.id())) {
            topic.accept(record, failure);
            quarantine.markPublishedToTopic(parked.id());
        }
        afterParked.accept(record);
    }
}
