package org.stillpoint.platform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import io.micrometer.tracing.Tracer;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.axon.EventTypeRevisionResolver;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.command.EntryWindows;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.command.ProjectionRebuild;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.crypto.ClientKeys;
import org.stillpoint.platform.crypto.KeyRotation;
import org.stillpoint.platform.crypto.KeyWrapper;
import org.stillpoint.platform.crypto.LocalKeyWrapper;
import org.stillpoint.platform.crypto.VaultTransitKeyWrapper;
import org.stillpoint.platform.crypto.MasterKey;
import org.stillpoint.platform.deadletter.ProjectionDeadLetters;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.eventstore.GapPolicy;
import org.stillpoint.platform.input.PlainText;
import org.stillpoint.platform.observability.TraceContext;
import org.stillpoint.platform.eventstore.MongoEventStorageEngine;
import org.stillpoint.platform.problem.ProblemDetailsAdvice;
import org.stillpoint.platform.publication.EarlierRevisions;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.platform.publication.OrganisationStreams;
import org.stillpoint.platform.signing.RecordSigner;
import org.stillpoint.platform.publication.TopicSettings;
import org.stillpoint.security.Caller;
import tools.jackson.databind.module.SimpleModule;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What every Stillpoint service gets: Axon on Jackson, the MongoDB event store and token store, tracking processors
 * that stop rather than skip on errors, publication of stored events to Kafka, field encryption and problem details.
 */
@AutoConfiguration(before = {AxonAutoConfiguration.class, WebMvcAutoConfiguration.class,
        MongoHealthContributorAutoConfiguration.class})
@EnableConfigurationProperties({EventStoreProperties.class, PublicationProperties.class, CryptoProperties.class,
        ConsentViewProperties.class, ConsumerProperties.class, EntryProperties.class})
@Import({ProblemDetailsAdvice.class, ConsentViewConfiguration.class, DeadLetterConfiguration.class,
        HealthConfiguration.class, IdempotencyConfiguration.class, ProcessingConfiguration.class,
        SigningConfiguration.class, ErasureConfiguration.class})
public class StillpointPlatformAutoConfiguration {

    public static final String AGGREGATE_CACHE = "stillpointAggregateCache";
    public static final String SNAPSHOT_TRIGGER = "stillpointSnapshotTrigger";

    @Bean
    public ObjectMapper stillpointEventJson() {
        return EventJson.newMapper();
    }

    /** Request bodies: no control characters in text (see {@link PlainText}). */
    @Bean
    public SimpleModule stillpointPlainText() {
        return PlainText.module();
    }

    @Bean
    public RevisionResolver revisionResolver() {
        return new EventTypeRevisionResolver();
    }

    @Bean
    @Primary
    public Serializer serializer(ObjectMapper stillpointEventJson, RevisionResolver revisionResolver) {
        return JacksonSerializer.builder()
                                .objectMapper(stillpointEventJson)
                                .revisionResolver(revisionResolver)
                                .build();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    /** Requests fail fast and truthfully when the database is away, instead of waiting the driver's 30 s. */
    @Bean
    public MongoClientSettingsBuilderCustomizer stillpointStoreTimeouts(EventStoreProperties properties) {
        return settings -> settings
                .applyToClusterSettings(c -> c.serverSelectionTimeout(properties.connectTimeout().toMillis(),
                                                                      TimeUnit.MILLISECONDS))
                .applyToSocketSettings(c -> c.connectTimeout((int) properties.connectTimeout().toMillis(),
                                                             TimeUnit.MILLISECONDS)
                                             .readTimeout((int) properties.readTimeout().toMillis(),
                                                          TimeUnit.MILLISECONDS));
    }

    @Bean
    public MongoDatabase stillpointDatabase(MongoDatabaseFactory factory) {
        return factory.getMongoDatabase();
    }

    @Bean
    public EventStorageEngine eventStorageEngine(MongoDatabase stillpointDatabase, Serializer serializer,
                                                 EventStoreProperties properties,
                                                 ObjectProvider<EventUpcaster> upcasters) {
        // stored events of an older revision load as the current one (a service's upcasters, in their order)
        return MongoEventStorageEngine.builder()
                                      .database(stillpointDatabase)
                                      .eventSerializer(serializer)
                                      .snapshotSerializer(serializer)
                                      .upcasterChain(new EventUpcasterChain(upcasters.orderedStream().toList()))
                                      .batchSize(properties.batchSize())
                                      .gapPolicy(new GapPolicy(properties.gapTimeout(), properties.maxGapOffset()))
                                      .build();
    }


    @Bean(AGGREGATE_CACHE)
    public Cache stillpointAggregateCache() {
        return new WeakReferenceCache();
    }

    @Bean(SNAPSHOT_TRIGGER)
    public SnapshotTriggerDefinition stillpointSnapshotTrigger(Snapshotter snapshotter, EventStoreProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }


    /** The request's trace into the events it stores ({@link TraceContext}); Axon's own origin metadata beside it. */
    @Bean
    public CorrelationDataProvider stillpointTraceContext(ObjectProvider<Tracer> tracer) {
        return new TraceContext(() -> tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    public CorrelationDataProvider stillpointMessageOrigin() {
        return new MessageOriginProvider();
    }

    @Bean
    public Commands commands(CommandGateway commandGateway) {
        return new Commands(commandGateway);
    }

    @Bean
    public ReadYourWrites readYourWrites(Commands commands, ProcessingProgress processingProgress,
                                         ProjectionDeadLetters projectionDeadLetters) {
        return new ReadYourWrites(commands, processingProgress, projectionDeadLetters);
    }

    @Bean
    public ProjectionRebuild projectionRebuild(EventProcessingConfiguration eventProcessingConfiguration,
                                               ProcessingProgress processingProgress, EventStore eventStore) {
        return new ProjectionRebuild(eventProcessingConfiguration, processingProgress, eventStore);
    }


    /**
     * The clients' data keys wrapped by Vault's Transit engine ({@code stillpoint.crypto.vault.*}), or else by the master
     * key (and, during a rotation, the previous ones).
     */
    @Bean
    @ConditionalOnMissingBean(KeyWrapper.class)
    public KeyWrapper stillpointKeyWrapper(CryptoProperties properties, Environment environment) {
        CryptoProperties.Vault vault = properties.vault();
        if (vault.configured()) {
            if (vault.token() == null || vault.token().isBlank() || vault.transitKey() == null
                    || vault.transitKey().isBlank()) {
                throw new IllegalStateException("STILLPOINT_VAULT_URI is set: STILLPOINT_VAULT_TOKEN and "
                                                        + "STILLPOINT_VAULT_TRANSIT_KEY are needed too");
            }
            VaultTemplate template = new VaultTemplate(VaultEndpoint.from(URI.create(vault.uri())),
                                                       new TokenAuthentication(vault.token()));
            return new VaultTransitKeyWrapper(template.opsForTransit(vault.mount()), vault.mount(),
                                              vault.transitKey(), vault.previousTransitKeys());
        }
        boolean local = environment.matchesProfiles("local");
        return new LocalKeyWrapper(MasterKey.decode(properties.masterKey(), local),
                                   properties.previousMasterKeys().stream().map(k -> MasterKey.decode(k, local)).toList());
    }

    @Bean
    public ClientKeys clientKeys(MongoDatabase stillpointDatabase, KeyWrapper stillpointKeyWrapper,
                                 @Value("${spring.application.name}") String service) {
        return new ClientKeys(stillpointDatabase, stillpointKeyWrapper, service);
    }

    @Bean
    public KeyRotation stillpointKeyRotation(ClientKeys clientKeys, KeyWrapper stillpointKeyWrapper) {
        return new KeyRotation(clientKeys, stillpointKeyWrapper.rotating());
    }

    /** The late-entry window and the horizon of stated times, for the aggregates. */
    @Bean
    public EntryWindows entryWindows(EntryProperties properties) {
        return new EntryWindows(properties.lateAfter(), properties.horizon());
    }

    @Bean
    public FieldCipher fieldCipher(ClientKeys clientKeys) {
        return new FieldCipher(clientKeys);
    }

    @Bean
    @ConditionalOnProperty("stillpoint.publication.topic")
    public KafkaEventPublisher kafkaEventPublisher(KafkaProperties kafkaProperties, ObjectMapper stillpointEventJson,
                                                   PublicationProperties publication, RecordSigner recordSigner,
                                                   ClientDirectory directory, Admin stillpointAdmin,
                                                   ObjectProvider<EarlierRevisions> earlierRevisions) {
        KafkaTemplate<String, byte[]> template = Producers.reliable(kafkaProperties,
                                                                    Map.of(ProducerConfig.LINGER_MS_CONFIG, 5));
        String source = publication.source() == null ? "/stillpoint" : publication.source();
        OrganisationStreams organisationStreams = !publication.organisationTopics() ? null : new OrganisationStreams(
                directory, stillpointAdmin,
                new TopicSettings.Wanted("<organisation topic>", publication.organisationPartitions(),
                                         publication.replicas(), publication.minInsyncReplicas(),
                                         publication.retentionMs()),
                Duration.ofSeconds(10), earlierRevisions.getIfAvailable(() -> EarlierRevisions.NONE),
                stillpointEventJson);
        return new KafkaEventPublisher(template, stillpointEventJson, publication.topic(), publication.accessTopic(),
                                       source, publication.acknowledgementTimeout(), recordSigner, organisationStreams);
    }

    /**
     * The topics this service publishes to: created at start-up when missing, checked when they exist
     * ({@link TopicSettings}). Not Spring Kafka's {@code NewTopic}s: its admin adds partitions to an existing topic
     * whose declaration asks for more, which would move keys between partitions behind every consumer's back.
     */
    @Bean
    @ConditionalOnProperty("stillpoint.publication.topic")
    public TopicSettings stillpointTopicSettings(Admin stillpointAdmin, PublicationProperties publication) {
        List<TopicSettings.Wanted> wanted = List.of(publication.topic(), publication.accessTopic()).stream()
                .map(topic -> new TopicSettings.Wanted(topic, publication.partitions(), publication.replicas(),
                                                       publication.minInsyncReplicas(), publication.retentionMs()))
                .toList();
        return new TopicSettings(stillpointAdmin, wanted,
                                 publication.topicMismatch() == PublicationProperties.Mismatch.FAIL,
                                 Duration.ofSeconds(10));
    }

    /**
     * Access decisions and the access log. The directory of clients is the service's own: consent-service's records,
     * or the consent view of the others.
     */
    @Bean
    public ClientAccess clientAccess(ClientDirectory directory, EventGateway eventGateway, Clock clock,
                                     @Value("${spring.application.name}") String service,
                                     ProjectionDeadLetters projectionDeadLetters,
                                     @Value("${stillpoint.access.erased-readable:false}") boolean erasedReadable) {
        return new ClientAccess(directory, eventGateway, service, clock, projectionDeadLetters::holds, erasedReadable);
    }

    /** The service's OpenAPI document: bearer tokens, served through the gateway. */
    @Bean
    public OpenAPI stillpointOpenApi(@Value("${spring.application.name}") String service) {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
        return new OpenAPI().info(new Info().title("Stillpoint " + service).version("v1"))
                            .addServersItem(new Server().url("/").description("the gateway"))
                            .components(new Components().addSecuritySchemes(
                                    "bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                                                  .bearerFormat("JWT")))
                            .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

}
