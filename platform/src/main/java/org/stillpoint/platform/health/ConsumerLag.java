package org.stillpoint.platform.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * How many records a consumer group is behind, per topic: the end of each partition it has committed on, less its
 * committed offset. Asked of the broker, so it is the same answer on every instance; cached briefly, as health checks and
 * pages ask often.
 */
public class ConsumerLag {

    private static final Duration FRESH = Duration.ofSeconds(2);
    private static final long TIMEOUT_MS = 3_000;

    private final Admin admin;
    private final Map<String, Measured> cache = new ConcurrentHashMap<>();

    private record Measured(Map<String, Long> lag, long at) {
    }

    public ConsumerLag(Admin admin) {
        this.admin = admin;
    }

    /** Records behind per topic; throws when the broker does not answer. */
    public Map<String, Long> of(String group) {
        Measured measured = cache.get(group);
        if (measured != null && System.nanoTime() - measured.at() < FRESH.toNanos()) {
            return measured.lag();
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty() ? Map.of()
                    : admin.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<String, Long> lag = new TreeMap<>();
            committed.forEach((partition, offset) -> {
                long end = ends.containsKey(partition) ? ends.get(partition).offset() : 0;
                long read = offset == null ? 0 : offset.offset();
                lag.merge(partition.topic(), Math.max(0, end - read), Long::sum);
            });
            cache.put(group, new Measured(Map.copyOf(lag), System.nanoTime()));
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the broker for consumer lag", e);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not say how far group " + group + " has read", e);
        }
    }
}
