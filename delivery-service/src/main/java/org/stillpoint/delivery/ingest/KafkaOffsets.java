package org.stillpoint.delivery.ingest;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.stillpoint.delivery.command.Offsets;
import org.stillpoint.delivery.command.Partition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The broker's index by time and its partitions' ends, asked through a consumer of no group. */
public class KafkaOffsets implements Offsets {

    private static final Duration ASKING = Duration.ofSeconds(10);
    private final Supplier<KafkaConsumer<String, byte[]>> consumers;

    public KafkaOffsets(Supplier<KafkaConsumer<String, byte[]>> consumers) {
        this.consumers = consumers;
    }

    @Override
    public Map<Partition, Long> at(List<String> topics, Instant at) {
        try (KafkaConsumer<String, byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            Map<TopicPartition, Long> times = new LinkedHashMap<>();
            partitions.forEach(p -> times.put(p, at.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, ASKING);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, ASKING);
            Map<Partition, Long> offsets = new LinkedHashMap<>();
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp first = found.get(p);
                offsets.put(new Partition(p.topic(), p.partition()), first != null ? first.offset() : ends.get(p));
            }
            return offsets;
        }
    }

    @Override
    public Map<Partition, Long> ends(List<String> topics) {
        try (KafkaConsumer<String, byte[]> consumer = consumers.get()) {
            Map<Partition, Long> ends = new LinkedHashMap<>();
            consumer.endOffsets(partitions(consumer, topics), ASKING)
                    .forEach((p, end) -> ends.put(new Partition(p.topic(), p.partition()), end));
            return ends;
        }
    }

    /** The partitions of the topics that exist (an organisation's topic exists from its first record). */
    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(ASKING);
        for (String topic : topics) {
            for (PartitionInfo info : existing.getOrDefault(topic, List.of())) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return partitions;
    }
}
