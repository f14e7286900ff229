package org.stillpoint.platform.config;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import java.util.Map;

/**
 * How Stillpoint's own consumers read a topic: from the earliest record, offsets committed only after what was read
 * was applied; a failure is retried every second and nothing is ever skipped.
 */
public final class ListenerContainers {

    private ListenerContainers() {
    }

    /**
     * One record at a time, its offset committed after it.
     *
     * @param groupId the consumer group, unless the Kafka properties name one (null: theirs)
     */
    public static ConcurrentKafkaListenerContainerFactory<String, byte[]> recordAtATime(KafkaProperties kafka,
                                                                                       String groupId) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = factory(kafka, groupId);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }

    /** Each poll's records as one list, their offsets committed after the whole list was applied. */
    public static ConcurrentKafkaListenerContainerFactory<String, byte[]> batches(KafkaProperties kafka) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = factory(kafka, null);
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        return factory;
    }

    private static ConcurrentKafkaListenerContainerFactory<String, byte[]> factory(KafkaProperties kafka,
                                                                                  String groupId) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (groupId != null) {
            config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config));
        factory.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(1_000L, FixedBackOff.UNLIMITED_ATTEMPTS)));
        return factory;
    }
}
