package org.stillpoint.platform.config;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import com.mongodb.client.MongoDatabase;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.deadletter.MongoSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.platform.deadletter.ClientSequencing;
import org.stillpoint.platform.deadletter.DeadLetterController;
import org.stillpoint.platform.deadletter.OperatorAct;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.deadletter.ProjectionDeadLetters;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.publication.KafkaEventPublisher;

import java.time.Clock;
import java.util.Map;

/**
 * Dead letters of the service's Kafka consumers: the quarantine in the service's database, the producer of the
 * dead-letter topics, and the operator's endpoints. Each operator act is an event on the access topic, so the audit
 * sees it.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    Quarantine quarantine(MongoTemplate mongo, Clock clock, EventGateway events,
                          @Value("${spring.application.name}") String service) {
        return new Quarantine(mongo, clock, act -> events.publish(handled(act, service)));
    }

    /** Sends parked records to the dead-letter topics: idempotent, every replica acknowledging. */
    @Bean(destroyMethod = "destroy")
    KafkaTemplate<String, byte[]> stillpointDeadLetterTemplate(KafkaProperties kafka) {
        return Producers.reliable(kafka, Map.of());
    }

    /** The broker's admin client: lag, topic checks, the consent view's partition ends. */
    @Bean(destroyMethod = "close")
    Admin stillpointAdmin(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildAdminProperties();
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(config);
    }

    /**
     * Every projection gets a sequenced dead-letter queue in the service's database, the client id as its sequence;
     * publication gets none (what it cannot send is a broker away, retried until it is back). Each projection's invoker
     * remembers which clients its segments have letters for (Axon's sequence identifier cache, kept per segment and
     * dropped when the segment is released), instead of asking the queue's collection for every event it handles.
     */
    @Bean
    ConfigurerModule stillpointProjectionDeadLetterQueues(MongoDatabase stillpointDatabase, Serializer serializer,
                                                          ListableBeanFactory beans) {
        DefaultMongoTemplate template = DefaultMongoTemplate.builder().mongoDatabase(stillpointDatabase)
                                                            .trackingTokensCollectionName(ProcessingConfiguration.TRACKING_TOKENS)
                                                            .deadLetterCollectionName("projection_dead_letters")
                                                            .build();
        return configurer -> {
            for (String name : beans.getBeanNamesForAnnotation(ProcessingGroup.class)) {
                ProcessingGroup group = beans.findAnnotationOnBean(name, ProcessingGroup.class);
                if (group != null && !KafkaEventPublisher.PROCESSING_GROUP.equals(group.value())) {
                    configurer.eventProcessing().registerDeadLetteringEventHandlerInvokerConfiguration(
                            group.value(), (c, invoker) -> invoker.enableSequenceIdentifierCache());
                }
            }
            configurer.eventProcessing()
                .registerDefaultSequencingPolicy(c -> new ClientSequencing())
                .registerDeadLetterQueueProvider(group -> KafkaEventPublisher.PROCESSING_GROUP.equals(group) ? null
                        : c -> MongoSequencedDeadLetterQueue.<EventMessage<?>>builder()
                                                            .processingGroup(group)
                                                            .mongoTemplate(template)
                                                            .serializer(serializer)
                                                            .build())
                .registerDefaultDeadLetterPolicy(c -> (letter, cause) -> Decisions.enqueue(
                        cause, ProjectionDeadLetters::tried));
        };
    }

    @Bean
    ProjectionDeadLetters projectionDeadLetters(EventProcessingConfiguration eventProcessingConfiguration,
                                                ConsumerProperties consumers, Clock clock, EventGateway events,
                                                @Value("${spring.application.name}") String service) {
        return new ProjectionDeadLetters(eventProcessingConfiguration, consumers.retries(), consumers.backoff(), clock,
                                         act -> events.publish(handled(act, service)));
    }

    @Bean
    DeadLetterController deadLetterController(Quarantine quarantine, ProjectionDeadLetters projectionDeadLetters,
                                              ClientDirectory clientDirectory) {
        return new DeadLetterController(quarantine, projectionDeadLetters, clientDirectory);
    }

    static DeadLetterHandled handled(OperatorAct act, String service) {
        ClientId clientId = ClientId.isId(act.key()) ? ClientId.of(act.key()) : null;
        return new DeadLetterHandled(clientId, service, act.group(), act.letterId(), act.topic(), act.partition(),
                                     act.offset(), act.recordType(), act.parkedFor(), act.action(), act.outcome(),
                                     act.reason(), new Actor(act.operator()), act.at());
    }
}
