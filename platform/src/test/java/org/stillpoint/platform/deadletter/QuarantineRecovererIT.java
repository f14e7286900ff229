package org.stillpoint.platform.deadletter;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.TopicReader;
import org.stillpoint.testsupport.UsesBackends;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A record parked again and again — its retries after a failed release, a store that failed halfway — is one record on
 * the dead-letter topic; while the store is away, the dead-letter topic gets nothing, and the record is tried again.
 */
@UsesBackends
class QuarantineRecovererIT {

    private final String group = "recoverer-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aRecordParkedSeveralTimesIsOneCopyOnTheDeadLetterTopic() throws Exception {
        try (MongoClient client = MongoClients.create(Backends.shared().mongoConnectionString());
             TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(),
                                                 QuarantineRecoverer.topicOf(group))) {
            Quarantine quarantine = new Quarantine(new MongoTemplate(client, group), Clock.systemUTC(), act -> { });
            QuarantineRecoverer recoverer = new QuarantineRecoverer(group, quarantine, template(), parked -> { });
            String key = UUID.randomUUID().toString();
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("stillpoint.consent.v1", 0, 7, key,
                                                                         "{}".getBytes(StandardCharsets.UTF_8));
            for (int round = 0; round < 3; round++) {
                recoverer.accept(record, new IllegalStateException("failed"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !topic.keyed(key).isEmpty());
            assertThat(topic.keyed(key)).hasSize(1);
            assertThat(quarantine.find(DeadLetter.id(group, "stillpoint.consent.v1", 0, 7)).orElseThrow().attempts())
                    .isEqualTo(3);
        }
    }

    @Test
    void whileTheStoreIsAwayNothingReachesTheDeadLetterTopic() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closed))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(300, TimeUnit.MILLISECONDS)).build();
        try (MongoClient away = MongoClients.create(settings);
             TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(),
                                                 QuarantineRecoverer.topicOf(group))) {
            Quarantine quarantine = new Quarantine(new MongoTemplate(away, group), Clock.systemUTC(), act -> { });
            QuarantineRecoverer recoverer = new QuarantineRecoverer(group, quarantine, template(), parked -> { });
            String key = UUID.randomUUID().toString();
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("stillpoint.consent.v1", 0, 8, key,
                                                                         "{}".getBytes(StandardCharsets.UTF_8));
            for (int round = 0; round < 3; round++) {
                assertThatThrownBy(() -> recoverer.accept(record, new IllegalStateException("failed")))
                        .as("the record is tried again, not dropped");
            }
            // a marker record after them: once it is read, anything sent before it would have been read too
            String marker = UUID.randomUUID().toString();
            template().send(QuarantineRecoverer.topicOf(group), marker, new byte[0]).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> !topic.keyed(marker).isEmpty());
            assertThat(topic.keyed(key)).isEmpty();
        }
    }

    private static KafkaTemplate<String, byte[]> template() {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Backends.shared().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
    }
}
