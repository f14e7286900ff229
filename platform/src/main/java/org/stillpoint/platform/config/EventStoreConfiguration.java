package org.stillpoint.platform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.axon.EventTypeRevisionResolver;
import org.stillpoint.platform.command.EventSourced;
import org.stillpoint.platform.eventstore.GapPolicy;
import org.stillpoint.platform.eventstore.MongoEventStorageEngine;
import org.stillpoint.platform.metrics.CommandStages;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The event store: Axon on Jackson (messages, events and snapshots), the gap-aware MongoDB storage engine with the
 * service's upcasters, and what {@link EventSourced} aggregates load through (the cache, the snapshot trigger).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStoreProperties.class)
class EventStoreConfiguration {

    @Bean
    ObjectMapper stillpointEventJson() {
        return EventJson.newMapper();
    }

    @Bean
    RevisionResolver revisionResolver() {
        return new EventTypeRevisionResolver();
    }

    @Bean
    @Primary
    Serializer serializer(ObjectMapper stillpointEventJson, RevisionResolver revisionResolver) {
        return JacksonSerializer.builder()
                                .objectMapper(stillpointEventJson)
                                .revisionResolver(revisionResolver)
                                .build();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    /** Requests fail fast and truthfully when the database is away, instead of waiting the driver's 30 s. */
    @Bean
    MongoClientSettingsBuilderCustomizer stillpointStoreTimeouts(EventStoreProperties properties) {
        return settings -> settings
                .applyToClusterSettings(c -> c.serverSelectionTimeout(properties.connectTimeout().toMillis(),
                                                                      TimeUnit.MILLISECONDS))
                .applyToSocketSettings(c -> c.connectTimeout((int) properties.connectTimeout().toMillis(),
                                                             TimeUnit.MILLISECONDS)
                                             .readTimeout((int) properties.readTimeout().toMillis(),
                                                          TimeUnit.MILLISECONDS));
    }

    @Bean
    MongoDatabase stillpointDatabase(MongoDatabaseFactory factory) {
        return factory.getMongoDatabase();
    }

    @Bean
    EventStorageEngine eventStorageEngine(MongoDatabase stillpointDatabase, Serializer serializer,
                                          EventStoreProperties properties, ObjectProvider<EventUpcaster> upcasters,
                                          CommandStages commandStages) {
        // stored events of an older revision load as the current one (a service's upcasters, in their order)
        return MongoEventStorageEngine.builder()
                                      .database(stillpointDatabase)
                                      .eventSerializer(serializer)
                                      .snapshotSerializer(serializer)
                                      .upcasterChain(new EventUpcasterChain(upcasters.orderedStream().toList()))
                                      .batchSize(properties.batchSize())
                                      .gapPolicy(new GapPolicy(properties.gapTimeout(), properties.maxGapOffset()))
                                      .stages(commandStages)
                                      .build();
    }

    /** The timers of a write's stages, in the service's registry. */
    @Bean
    CommandStages commandStages(MeterRegistry meterRegistry) {
        return new CommandStages(meterRegistry);
    }

    @Bean(EventSourced.AGGREGATE_CACHE)
    Cache stillpointAggregateCache() {
        return new WeakReferenceCache();
    }

    @Bean(EventSourced.SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition stillpointSnapshotTrigger(Snapshotter snapshotter, EventStoreProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }

    /**
     * Snapshots are taken on a thread of their own, after the command that triggered one was answered: Axon's default
     * snapshotter builds the aggregate from its events and stores the snapshot in the request's thread. A snapshot
     * lost with a stopping instance is taken again at the next threshold; it is only ever a shortcut for loading.
     */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory) {
        ExecutorService snapshots = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("snapshotter").daemon().factory());
        configuration.onShutdown(snapshots::shutdown);
        return SpringAggregateSnapshotter.builder()
                                         .repositoryProvider(configuration::repository)
                                         .transactionManager(transactionManager)
                                         .eventStore(eventStore)
                                         .parameterResolverFactory(parameterResolverFactory)
                                         .handlerDefinition(handlerDefinition)
                                         .spanFactory(spanFactory)
                                         .executor(snapshots)
                                         .build();
    }
}
