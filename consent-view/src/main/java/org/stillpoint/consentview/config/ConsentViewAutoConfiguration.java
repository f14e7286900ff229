package org.stillpoint.consentview.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.stillpoint.consentview.ConsentViewListener;
import org.stillpoint.consentview.KafkaConsentGate;
import org.stillpoint.platform.config.ConsumerProperties;
import org.stillpoint.platform.config.ListenerContainers;
import org.stillpoint.platform.config.PublicationProperties;
import org.stillpoint.platform.config.StillpointPlatformAutoConfiguration;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.deadletter.QuarantineRecoverer;
import org.stillpoint.platform.erasure.ErasureHandler;
import org.stillpoint.platform.record.RecordVerifier;

import java.util.List;

/**
 * A service's own consent view and the gate over it, when {@code stillpoint.consent-view.topic} is set: the listener
 * that keeps the view, its dead-letter topic and container (the platform's quarantine), and the gate that decides on it.
 */
@AutoConfiguration(after = StillpointPlatformAutoConfiguration.class)
@ConditionalOnProperty("stillpoint.consent-view.topic")
@EnableConfigurationProperties(ConsentViewProperties.class)
public class ConsentViewAutoConfiguration {

    /**
     * Each poll's records at once, committed after they were applied; a failing record is retried a bounded number of
     * times, then parked (its dead-letter topic, the quarantine), and the view's read position moves past it.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> stillpointConsentViewContainerFactory(
            KafkaProperties kafka, ConsumerProperties consumers, Quarantine quarantine,
            KafkaTemplate<String, byte[]> stillpointDeadLetterTemplate, ObjectProvider<ConsentViewListener> listener,
            @Value("${spring.application.name}") String service, MeterRegistry meters) {
        return ListenerContainers.batches(kafka, consumers, new QuarantineRecoverer(
                group(service), quarantine, stillpointDeadLetterTemplate, r -> listener.getObject().parked(r)), meters);
    }

    @Bean
    ConsentViewListener consentViewListener(MongoTemplate mongo, ObjectMapper stillpointEventJson,
                                            RecordVerifier recordVerifier, Quarantine quarantine,
                                            @Value("${spring.application.name}") String service,
                                            List<ErasureHandler> erasureHandlers) {
        return new ConsentViewListener(mongo, stillpointEventJson, recordVerifier, quarantine, group(service),
                                       erasureHandlers);
    }

    /** The consent view's dead-letter topic. */
    @Bean
    NewTopic stillpointConsentViewDeadLetters(@Value("${spring.application.name}") String service,
                                              PublicationProperties publication) {
        return new NewTopic(QuarantineRecoverer.topicOf(group(service)), publication.partitions(), publication.replicas());
    }

    @Bean
    KafkaConsentGate consentGate(Admin stillpointAdmin, MongoTemplate mongo, ConsentViewProperties properties,
                                 Quarantine quarantine, @Value("${spring.application.name}") String service) {
        return new KafkaConsentGate(stillpointAdmin, mongo, properties.topic(), properties.maxWait(), quarantine,
                                    group(service));
    }

    /** The consent view's consumer group, as its listener names it. */
    static String group(String service) {
        return service + ".consent-view";
    }
}
