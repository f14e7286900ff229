package org.stillpoint.delivery.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.delivery.command.Cursors;
import org.stillpoint.delivery.command.EndpointGuard;
import org.stillpoint.delivery.command.Offsets;
import org.stillpoint.delivery.command.Redeliveries;
import org.stillpoint.delivery.command.Subscription;
import org.stillpoint.delivery.command.Subscriptions;
import org.stillpoint.delivery.ingest.KafkaOffsets;
import org.stillpoint.delivery.ingest.Parts;
import org.stillpoint.delivery.ingest.Retry;
import org.stillpoint.delivery.ingest.WebhookSender;
import org.stillpoint.delivery.ingest.Workers;
import org.stillpoint.delivery.query.DeliveryLog;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.crypto.ClientKeys;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.record.RecordVerifier;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** delivery-service's parts: the subscriptions, their cursors and log, the sender and a worker per subscription. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeliveryProperties.class)
class DeliveryConfiguration {

    /**
     * delivery-service reads no client's record: it carries records it never opens, and answers about subscriptions,
     * which belong to an organisation. It knows no client.
     */
    @Bean
    ClientDirectory noClients() {
        return clientId -> Optional.empty();
    }

    @Bean
    EndpointGuard endpointGuard(DeliveryProperties properties) {
        return new EndpointGuard(properties.allowedHosts(), properties.allowLoopback(), properties.allowHttp());
    }

    @Bean
    Cursors cursors(MongoTemplate mongo) {
        return new Cursors(mongo);
    }

    @Bean
    Redeliveries redeliveries(MongoTemplate mongo) {
        return new Redeliveries(mongo);
    }

    @Bean
    DeliveryLog deliveryLog(MongoTemplate mongo) {
        return new DeliveryLog(mongo);
    }

    @Bean
    Offsets offsets(KafkaProperties kafka) {
        return new KafkaOffsets(() -> consumer(kafka, null));
    }

    @Bean
    Subscriptions subscriptions(MongoTemplate mongo, FieldCipher cipher, ClientKeys keys, EventGateway events,
                                EndpointGuard guard, Cursors cursors, Redeliveries redeliveries, Offsets offsets,
                                Clock clock) {
        return new Subscriptions(mongo, cipher, keys, events, guard, cursors, redeliveries, offsets, clock);
    }

    @Bean
    Workers workers(DeliveryProperties properties, Subscriptions subscriptions, Cursors cursors,
                    Redeliveries redeliveries, DeliveryLog log, EndpointGuard guard, RecordVerifier verifier,
                    EventGateway events, Clock clock, KafkaProperties kafka) {
        WebhookSender sender = new WebhookSender(guard, properties.connectTimeout(), properties.timeout(),
                                                 properties.answerKept(), clock);
        Retry retry = new Retry(properties.firstWait(), properties.longestWait(), properties.retryFor());
        return new Workers(new Parts(subscriptions, cursors, redeliveries, log, sender, verifier, events, retry, clock,
                                     group -> consumer(kafka, group)), properties.refreshEvery());
    }

    /**
     * The subscriptions by status, for an alert on {@code PAUSED_FAILING} ({@code stillpoint_delivery_subscriptions}),
     * and how many this instance delivers.
     */
    @Bean
    MeterBinder deliveryMeters(Subscriptions subscriptions, Workers workers) {
        return registry -> {
            for (Subscription.Status status : Subscription.Status.values()) {
                Gauge.builder("stillpoint.delivery.subscriptions", subscriptions, s -> s.counted(status))
                     .tag("status", status.name()).description("webhook subscriptions of every organisation")
                     .register(registry);
            }
            Gauge.builder("stillpoint.delivery.workers", workers, Workers::delivering)
                 .description("subscriptions this instance delivers").register(registry);
        };
    }

    /**
     * A consumer of the organisation topics: in {@code group} when given (which shares the partitions out among the
     * instances), never committing offsets (the cursors are the truth), seeing topics made after it started within
     * seconds, and taking over a lost instance's partitions within seconds.
     */
    private static KafkaConsumer<String, byte[]> consumer(KafkaProperties kafka, String group) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a stopped or killed instance's partitions go to another within ten seconds, not the default forty-five
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        } else {
            config.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        }
        return new KafkaConsumer<>(config);
    }
}
