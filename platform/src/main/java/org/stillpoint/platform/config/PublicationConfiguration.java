package org.stillpoint.platform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.publication.EarlierRevisions;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.platform.publication.OrganisationStreams;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.platform.publication.TopicSettings;
import org.stillpoint.platform.record.RecordSigner;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Publication of stored events to Kafka, when {@code stillpoint.publication.topic} is set: the service's topics (and
 * its organisation topics, created on first use), each record signed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PublicationProperties.class)
class PublicationConfiguration {

    @Bean
    @ConditionalOnProperty("stillpoint.publication.topic")
    KafkaEventPublisher kafkaEventPublisher(KafkaProperties kafkaProperties, ObjectMapper stillpointEventJson,
                                            PublicationProperties publication, RecordSigner recordSigner,
                                            ClientDirectory directory, Admin stillpointAdmin,
                                            ObjectProvider<EarlierRevisions> earlierRevisions) {
        KafkaTemplate<String, byte[]> template = Producers.reliable(kafkaProperties,
                                                                    Map.of(ProducerConfig.LINGER_MS_CONFIG, 5));
        // a send the broker did not take is the publisher's to report (once per outage, and in the health), not an
        // ERROR with a stack trace per record
        template.setProducerListener(new ProducerListener<>() {
        });
        String source = publication.source() == null ? "/stillpoint" : publication.source();
        OrganisationStreams organisationStreams = !publication.organisationTopics() ? null : new OrganisationStreams(
                directory, stillpointAdmin,
                new TopicSettings.Wanted("<organisation topic>", publication.organisationPartitions(),
                                         publication.replicas(), publication.minInsyncReplicas(),
                                         publication.retentionMs()),
                Duration.ofSeconds(10), earlierRevisions.getIfAvailable(() -> EarlierRevisions.NONE),
                stillpointEventJson);
        return new KafkaEventPublisher(template, stillpointEventJson, publication.topic(), publication.accessTopic(),
                                       source, publication.acknowledgementTimeout(), publication.outageHold(), recordSigner,
                                       organisationStreams);
    }

    /**
     * A batch held for a broker that is away fails as soon as the service begins to stop (before the processors stop
     * and wait for their batches): it is published from its token by the next instance to hold the segment.
     */
    @Bean
    @ConditionalOnProperty("stillpoint.publication.topic")
    ApplicationListener<ContextClosedEvent> stillpointPublisherStops(KafkaEventPublisher kafkaEventPublisher) {
        return closed -> kafkaEventPublisher.stopHolding();
    }

    /**
     * The topics this service publishes to: created at start-up when missing, checked when they exist
     * ({@link TopicSettings}). Not Spring Kafka's {@code NewTopic}s: its admin adds partitions to an existing topic
     * whose declaration asks for more, which would move keys between partitions behind every consumer's back.
     */
    @Bean
    @ConditionalOnProperty("stillpoint.publication.topic")
    TopicSettings stillpointTopicSettings(Admin stillpointAdmin, PublicationProperties publication) {
        // the directory topic too: every service reads it, and a service may start before directory-service has made it
        List<TopicSettings.Wanted> wanted = List.of(publication.topic(), publication.accessTopic(),
                                                    PublishedTypes.DIRECTORY_TOPIC).stream().distinct()
                .map(topic -> new TopicSettings.Wanted(topic, publication.partitions(), publication.replicas(),
                                                       publication.minInsyncReplicas(), publication.retentionMs()))
                .toList();
        return new TopicSettings(stillpointAdmin, wanted,
                                 publication.topicMismatch() == PublicationProperties.Mismatch.FAIL,
                                 Duration.ofSeconds(10));
    }
}
