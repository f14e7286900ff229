package org.stillpoint.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a topic from its start as an outside consumer would: no group, every partition, nothing committed. It starts
 * reading once the topic exists. Every record read is checked against the contract ({@link PublishedRecords}).
 * {@link #fromNow} reads only what is published after it was made: for a topic that a whole test run writes to.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                              ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                                              ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                                              ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        this.topic = topic;
    }

    /**
     * A reader of the records published to {@code topic} (which exists) from now on: the whole access topic of a test
     * run is more than a test should read and check, record by record, to find its own few.
     */
    public static TopicReader fromNow(String bootstrapServers, String topic) {
        TopicReader reader = new TopicReader(bootstrapServers, topic);
        List<TopicPartition> partitions = reader.consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                                                         .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        reader.consumer.assign(partitions);
        reader.consumer.seekToEnd(partitions);
        // the end is looked up lazily: ask for it now, so that what is published next is read
        partitions.forEach(reader.consumer::position);
        return reader;
    }

    /** Everything read so far, after polling once more; records keep their order within each partition. */
    public List<ConsumerRecord<String, byte[]>> poll() {
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                                                      .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
            PublishedRecords.check(record);
            records.add(record);
        }
        return List.copyOf(records);
    }

    /**
     * Everything read so far, after reading up to the end every partition has now: once the publisher has
     * acknowledged its last send, what this returns is all it published, and a duplicate would be among it.
     */
    public List<ConsumerRecord<String, byte[]>> readToEnd() {
        poll();
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the end of " + topic + " was not reached in 60 s: " + ends);
            }
            poll();
        }
        return List.copyOf(records);
    }

    /** Every record read so far whose key is {@code key}, in partition order. */
    public List<ConsumerRecord<String, byte[]>> keyed(String key) {
        return poll().stream().filter(r -> key.equals(r.key())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
