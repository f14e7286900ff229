package org.stillpoint.platform.config;

import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.admin.Admin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.platform.deadletter.ProjectionDeadLetters;
import org.stillpoint.platform.eventstore.MongoEventStorageEngine;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.health.ConsumerLag;
import org.stillpoint.platform.health.ConsumersHealth;
import org.stillpoint.platform.health.MongoPingHealth;
import org.stillpoint.platform.health.ProcessorsHealth;
import org.stillpoint.platform.publication.KafkaEventPublisher;

import java.util.Map;

/**
 * Health that tells the truth on both backends: MongoDB by {@code ping}, the consumers' dead letters and lag, the event
 * processors' errors. {@code DEGRADED} ranks between {@code DOWN} and {@code UP} and answers {@code 200}: the service
 * works, an operator is needed. Readiness stays the application's readiness state.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    /** Named as Boot's own MongoDB indicator, which therefore stands back. */
    @Bean
    MongoPingHealth mongoHealthIndicator(MongoDatabase stillpointDatabase) {
        return new MongoPingHealth(stillpointDatabase);
    }

    @Bean
    ConsumerLag consumerLag(Admin stillpointAdmin) {
        return new ConsumerLag(stillpointAdmin);
    }

    @Bean
    ConsumersHealth consumersHealthIndicator(Quarantine quarantine, ConsumerLag consumerLag, ConsumerProperties consumers) {
        return new ConsumersHealth(quarantine, consumerLag, consumers.lagWarning());
    }

    @Bean
    ProcessorsHealth processorsHealthIndicator(EventProcessingConfiguration eventProcessingConfiguration,
                                               ProjectionDeadLetters projectionDeadLetters,
                                               ObjectProvider<KafkaEventPublisher> kafkaEventPublisher) {
        KafkaEventPublisher publisher = kafkaEventPublisher.getIfAvailable();
        return new ProcessorsHealth(eventProcessingConfiguration, projectionDeadLetters,
                                    publisher == null ? () -> null : publisher::holdingSince);
    }

    /** Gaps the event store gave up ({@code GapPolicy}), on Prometheus: never silent. */
    @Bean
    MeterBinder stillpointGapsGivenUp(EventStorageEngine eventStorageEngine) {
        return registry -> {
            if (eventStorageEngine instanceof MongoEventStorageEngine engine) {
                FunctionCounter.builder("stillpoint.eventstore.gaps.given-up", engine, MongoEventStorageEngine::givenUpGaps)
                               .description("reserved positions readers stopped waiting for").register(registry);
            }
        };
    }

    @Bean
    StatusAggregator healthStatusAggregator() {
        return new SimpleStatusAggregator(Status.DOWN, Status.OUT_OF_SERVICE, ConsumersHealth.DEGRADED, Status.UP,
                                          Status.UNKNOWN);
    }

    @Bean
    HttpCodeStatusMapper healthHttpCodeStatusMapper() {
        return new SimpleHttpCodeStatusMapper(Map.of(Status.DOWN.getCode(), 503, Status.OUT_OF_SERVICE.getCode(), 503,
                                                     ConsumersHealth.DEGRADED.getCode(), 200));
    }
}
