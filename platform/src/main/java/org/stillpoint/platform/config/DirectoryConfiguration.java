package org.stillpoint.platform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.deadletter.QuarantineRecoverer;
import org.stillpoint.platform.directory.DirectoryViewListener;
import org.stillpoint.platform.directory.KafkaDirectoryGate;
import org.stillpoint.platform.directory.UnknownCallers;
import org.stillpoint.platform.record.RecordVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Every service's view of the organisations' directories and the gate that decides each caller on it (DESIGN §10):
 * the listener of {@code stillpoint.directory.v1}, its dead letters (the platform's quarantine), and
 * {@link KafkaDirectoryGate}, which is the service's {@code CallerCheck} and the clinics {@code ClientAccess} knows.
 * {@code stillpoint.directory.unknown-callers} must be set: what to do with staff the directory does not know is never
 * a default of the code.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryConfiguration {

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> stillpointDirectoryViewContainerFactory(
            KafkaProperties kafka, ConsumerProperties consumers, Quarantine quarantine,
            KafkaTemplate<String, byte[]> stillpointDeadLetterTemplate, ObjectProvider<DirectoryViewListener> listener,
            @Value("${spring.application.name}") String service, MeterRegistry meters) {
        return ListenerContainers.batches(kafka, consumers, new QuarantineRecoverer(
                group(service), quarantine, stillpointDeadLetterTemplate, r -> listener.getObject().parked(r)), meters);
    }

    @Bean
    DirectoryViewListener directoryViewListener(MongoTemplate mongo, ObjectMapper stillpointEventJson,
                                                RecordVerifier recordVerifier, Quarantine quarantine,
                                                @Value("${spring.application.name}") String service) {
        return new DirectoryViewListener(mongo, stillpointEventJson, recordVerifier, quarantine, group(service));
    }

    /** The directory view's dead-letter topic. */
    @Bean
    NewTopic stillpointDirectoryViewDeadLetters(@Value("${spring.application.name}") String service,
                                                PublicationProperties publication) {
        return new NewTopic(QuarantineRecoverer.topicOf(group(service)), publication.partitions(), publication.replicas());
    }

    @Bean
    KafkaDirectoryGate directoryGate(Admin stillpointAdmin, MongoTemplate mongo, Quarantine quarantine, Clock clock,
                                     @Value("${spring.application.name}") String service,
                                     @Value("${stillpoint.directory.topic:" + PublishedTypes.DIRECTORY_TOPIC + "}")
                                     String topic,
                                     @Value("${stillpoint.directory.max-wait:5s}") Duration maxWait,
                                     @Value("${stillpoint.directory.outage-grace:10m}") Duration outageGrace,
                                     @Value("${stillpoint.directory.unknown-callers}") String unknownCallers) {
        UnknownCallers unknown;
        try {
            unknown = UnknownCallers.valueOf(unknownCallers.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stillpoint.directory.unknown-callers must be refuse or trust-token, not '"
                                                    + unknownCallers + "'");
        }
        return new KafkaDirectoryGate(stillpointAdmin, mongo, topic, maxWait, quarantine, group(service), unknown,
                                      clock, outageGrace);
    }

    /** The directory view's consumer group. */
    static String group(String service) {
        return service + ".directory-view";
    }
}
