package org.stillpoint.platform.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.stillpoint.platform.record.InvalidRecord;
import org.stillpoint.platform.record.RecordVerifier;

import java.util.Map;

/**
 * How Stillpoint's own consumers read a topic: from the earliest record, offsets committed only after what was read
 * was applied. A failing record is retried a bounded number of times with backoff, then handed to {@code recoverer}
 * (which parks it); an {@link InvalidRecord} is handed over at once. Nothing is skipped without a trace.
 */
public final class ListenerContainers {

    private ListenerContainers() {
    }

    /**
     * One record at a time, its offset committed after it.
     *
     * @param groupId the consumer group, unless the Kafka properties name one (null: theirs)
     */
    public static ConcurrentKafkaListenerContainerFactory<String, byte[]> recordAtATime(
            KafkaProperties kafka, String groupId, ConsumerProperties consumers, ConsumerRecordRecoverer recoverer,
            MeterRegistry meters) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = factory(kafka, groupId, consumers, recoverer,
                                                                                  meters);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        // each record continues the trace of the request that stored its event (its traceparent header)
        factory.getContainerProperties().setObservationEnabled(true);
        return factory;
    }

    /**
     * Each poll's records as one list, their offsets committed after the whole list was applied. The listener names a
     * failing record with {@code BatchListenerFailedException}, so the records before it commit and it alone is retried.
     */
    public static ConcurrentKafkaListenerContainerFactory<String, byte[]> batches(
            KafkaProperties kafka, ConsumerProperties consumers, ConsumerRecordRecoverer recoverer, MeterRegistry meters) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = factory(kafka, null, consumers, recoverer,
                                                                                  meters);
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        return factory;
    }

    private static ConcurrentKafkaListenerContainerFactory<String, byte[]> factory(
            KafkaProperties kafka, String groupId, ConsumerProperties consumers, ConsumerRecordRecoverer recoverer,
            MeterRegistry meters) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a killed instance's partitions go to the others after 10 s, not the client's default 45 s (docs/SCALING.md)
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        if (groupId != null) {
            config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        DefaultKafkaConsumerFactory<String, byte[]> consumerFactory = new DefaultKafkaConsumerFactory<>(config);
        // the Kafka client's metrics on Prometheus, consumer lag among them (kafka_consumer_fetch_manager_records_lag_max)
        consumerFactory.addListener(new MicrometerConsumerListener<>(meters));
        factory.setConsumerFactory(consumerFactory);
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(consumers.retries());
        backOff.setInitialInterval(consumers.backoff().toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(consumers.maxBackoff().toMillis());
        DefaultErrorHandler errors = new DefaultErrorHandler(recoverer, backOff);
        errors.addNotRetryableExceptions(InvalidRecord.class);
        // a producer's keys that cannot be looked up now say nothing of the record: tried again for as long as that lasts
        errors.setBackOffFunction((record, failure) -> keysUnavailable(failure) ? KEYS_BACK_OFF.get() : null);
        errors.setResetStateOnExceptionChange(true);
        errors.setLogLevel(KafkaException.Level.WARN);
        factory.setCommonErrorHandler(errors);
        return factory;
    }

    /** While a producer's keys cannot be looked up: every 1 s, doubling to a minute, without end. */
    static final java.util.function.Supplier<org.springframework.util.backoff.BackOff> KEYS_BACK_OFF = () -> {
        org.springframework.util.backoff.ExponentialBackOff wait = new org.springframework.util.backoff.ExponentialBackOff(
                1_000, 2.0);
        wait.setMaxInterval(60_000);
        return wait;
    };

    static boolean keysUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RecordVerifier.KeysUnavailable) {
                return true;
            }
        }
        return false;
    }
}
