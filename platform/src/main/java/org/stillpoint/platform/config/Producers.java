package org.stillpoint.platform.config;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.util.Map;

/**
 * How Stillpoint's own producers send: idempotent, acknowledged by every in-sync replica, bounded in how long a send
 * may wait, so that a broker that is away fails a send within seconds instead of holding it.
 */
final class Producers {

    private Producers() {
    }

    /** String keys and byte values, on the Kafka properties of the service, with {@code overrides} last. */
    static KafkaTemplate<String, byte[]> reliable(KafkaProperties kafka, Map<String, Object> overrides) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        overrides.forEach(config::putIfAbsent);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
    }
}
