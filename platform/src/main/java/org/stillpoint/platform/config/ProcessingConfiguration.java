package org.stillpoint.platform.config;

import com.mongodb.client.MongoDatabase;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.platform.axon.TickingEventSource;
import org.stillpoint.platform.cluster.FairShare;
import org.stillpoint.platform.cluster.Instances;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.publication.KafkaEventPublisher;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The service's event processors: pooled streaming processors over the event store, split into segments by client,
 * claimed in the shared token store by whichever instances are alive, each its fair share ({@link FairShare},
 * {@link ProcessingProperties}); an error stops a
 * segment (to retry, or to park the event in a projection's dead-letter queue) instead of skipping the event.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessingProperties.class)
class ProcessingConfiguration {

    static final String TRACKING_TOKENS = "tracking_tokens";

    /** This instance in the token store; one per application context, so two in one JVM never share claims. */
    private final String nodeId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

    @Bean
    TokenStore tokenStore(MongoDatabase stillpointDatabase, Serializer serializer, ProcessingProperties processing) {
        return MongoTokenStore.builder()
                              .mongoTemplate(DefaultMongoTemplate.builder()
                                                                 .mongoDatabase(stillpointDatabase)
                                                                 .trackingTokensCollectionName(TRACKING_TOKENS)
                                                                 .build())
                              .serializer(serializer)
                              .nodeId(nodeId)
                              .claimTimeout(processing.claimTimeout())
                              .build();
    }

    /**
     * The event store, read by the processors: a reader that caught up looks for other instances' events every
     * {@code stillpoint.event-store.fetch-delay} (Axon's default of a second would be the wait of a write answered on
     * another instance than the one that holds its projection's segment).
     */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  EventStoreProperties store) {
        EmbeddedEventStore eventStore = EmbeddedEventStore.builder()
                                 .storageEngine(storageEngine)
                                 .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                                 .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                                 .fetchDelay(store.fetchDelay().toMillis())
                                 .build();
        // events stored here: the processors look for them once the commit is through, not at their next tick
        eventStore.subscribe(events -> {
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> TickingEventSource.nudge());
            } else {
                TickingEventSource.nudge();
            }
        });
        return eventStore;
    }

    /** The service's live instances, counted in its database (on the wall clock, as the token store's claims are). */
    @Bean
    Instances stillpointInstances(MongoDatabase stillpointDatabase, ProcessingProperties processing) {
        return new Instances(stillpointDatabase, nodeId, processing.claimInterval(), processing.claimTimeout(),
                             Clock.systemUTC());
    }

    @Bean
    ConfigurerModule stillpointEventProcessing(ProcessingProperties processing, TokenStore tokenStore,
                                               Instances instances) {
        FairShare share = new FairShare(tokenStore, instances, Clock.systemUTC(), processing.claimTimeout());
        return configurer -> configurer.eventProcessing()
                .usingPooledStreamingEventProcessors((c, builder) -> builder
                        .initialSegmentCount(processing.segments())
                        .batchSize(processing.batchSize())
                        .messageSource(new TickingEventSource(c.eventStore(), processing.idlePoll()))
                        .maxSegmentProvider(share)
                        .tokenClaimInterval(processing.claimInterval().toMillis())
                        .claimExtensionThreshold(processing.claimTimeout().toMillis() / 3)
                        .enableCoordinatorClaimExtension()
                        .workerExecutor(name -> {
                            ScheduledExecutorService workers = Executors.newScheduledThreadPool(
                                    processing.workerThreads(),
                                    Thread.ofPlatform().name("WorkPackage[" + name + "]-", 0).daemon().factory());
                            c.onShutdown(workers::shutdown);
                            return workers;
                        }))
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                .registerDefaultErrorHandler(c -> PropagatingErrorHandler.instance());
    }

    /** The publisher publishes in batches and waits for the broker before a segment's token moves. */
    @Bean
    @ConditionalOnProperty("stillpoint.publication.topic")
    ConfigurerModule stillpointPublicationProcessing(PublicationProperties publication) {
        return configurer -> configurer.eventProcessing()
                .registerPooledStreamingEventProcessorConfiguration(
                        KafkaEventPublisher.PROCESSING_GROUP, (c, builder) -> builder.batchSize(publication.batchSize()))
                .registerHandlerInterceptor(KafkaEventPublisher.PROCESSING_GROUP,
                                            c -> c.getComponent(KafkaEventPublisher.class));
    }

    @Bean
    ProcessingProgress processingProgress(EventProcessingConfiguration eventProcessingConfiguration,
                                          MongoDatabase stillpointDatabase, Serializer serializer,
                                          ProcessingProperties processing) {
        return new ProcessingProgress(eventProcessingConfiguration, stillpointDatabase, TRACKING_TOKENS, serializer,
                                      nodeId, processing.claimTimeout());
    }
}
