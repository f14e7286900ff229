package org.stillpoint.platform.config;

import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What every Stillpoint service gets, wired by concern: the event store, commands and access, event processing,
 * publication to Kafka and signing, field encryption and erasure, dead letters, health, idempotent writes, and the web
 * side (problem details, OpenAPI). A service that decides on consent adds {@code consent-view}, which wires its own.
 * Ahead of Axon's and Boot's own, whose beans these replace.
 */
@AutoConfiguration(before = {AxonAutoConfiguration.class, WebMvcAutoConfiguration.class,
        MongoHealthContributorAutoConfiguration.class})
@EnableConfigurationProperties(ConsumerProperties.class)
@Import({EventStoreConfiguration.class, CommandConfiguration.class, ProcessingConfiguration.class,
        PublicationConfiguration.class, SigningConfiguration.class, CryptoConfiguration.class,
        ErasureConfiguration.class, DeadLetterConfiguration.class,
        HealthConfiguration.class, IdempotencyConfiguration.class, WebConfiguration.class, DirectoryConfiguration.class})
public class StillpointPlatformAutoConfiguration {
}
