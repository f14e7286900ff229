package org.stillpoint.audit.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.stillpoint.audit.ingest.AuditListener;
import org.stillpoint.audit.ledger.Checkpoints;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.query.ConsentDivergences;
import org.stillpoint.audit.query.CopyRequests;
import org.stillpoint.audit.query.EmergencyReviews;
import org.stillpoint.audit.query.ErasureNotices;
import org.stillpoint.audit.query.EventView;
import org.stillpoint.platform.config.ConsumerProperties;
import org.stillpoint.platform.config.ListenerContainers;
import org.stillpoint.platform.config.PublicationProperties;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.deadletter.QuarantineRecoverer;
import org.stillpoint.platform.erasure.ErasureHandler;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.platform.record.RecordVerifier;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One consumer over every topic, a record at a time, committed after each; a failing record is retried a bounded number
 * of times, then parked (its dead-letter topic, the quarantine), never skipped.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({ClientViewProperties.class, ConsoleProperties.class})
class AuditConfiguration {

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> stillpointAuditContainerFactory(
            KafkaProperties kafka, ConsumerProperties consumers, Quarantine quarantine,
            KafkaTemplate<String, byte[]> stillpointDeadLetterTemplate, MeterRegistry meters) {
        return ListenerContainers.recordAtATime(kafka, AuditListener.GROUP, consumers, new QuarantineRecoverer(
                AuditListener.GROUP, quarantine, stillpointDeadLetterTemplate, record -> { }), meters);
    }

    /** The audit ingest's dead-letter topic. */
    @Bean
    NewTopic stillpointAuditDeadLetters(PublicationProperties publication) {
        return new NewTopic(QuarantineRecoverer.topicOf(AuditListener.GROUP), publication.partitions(),
                            publication.replicas());
    }

    @Bean
    EmergencyReviews emergencyReviews(MongoTemplate mongo) {
        return new EmergencyReviews(mongo);
    }

    @Bean
    CopyRequests copyRequests(MongoTemplate mongo) {
        return new CopyRequests(mongo);
    }

    @Bean
    ErasureNotices erasureNotices(MongoTemplate mongo, ObjectMapper stillpointEventJson) {
        return new ErasureNotices(mongo, stillpointEventJson);
    }

    @Bean
    ConsentDivergences consentDivergences(MongoTemplate mongo, ObjectMapper stillpointEventJson) {
        return new ConsentDivergences(mongo, stillpointEventJson);
    }

    @Bean
    Ledger ledger(MongoTemplate mongo, Clock clock) {
        return new Ledger(mongo, clock);
    }

    /**
     * The chains' heads signed with the audit-service's own signing key (not the master key), every
     * {@code stillpoint.audit.checkpoint-interval} and on demand, each written to {@code stillpoint.audit.witness-dir}
     * when it is set.
     */
    @Bean
    Checkpoints checkpoints(MongoTemplate mongo, RecordSigner recordSigner, ObjectMapper stillpointEventJson, Clock clock,
                            @Value("${stillpoint.audit.witness-dir:}") String witnessDir) {
        return new Checkpoints(mongo, recordSigner, stillpointEventJson, clock,
                               witnessDir.isBlank() ? null : Path.of(witnessDir));
    }

    @Bean
    AuditListener auditListener(MongoTemplate mongo, ObjectMapper stillpointEventJson, Ledger ledger, Clock clock,
                                Quarantine quarantine, RecordVerifier recordVerifier,
                                List<ErasureHandler> erasureHandlers, List<EventView> views) {
        return new AuditListener(mongo, stillpointEventJson, ledger, clock, quarantine, recordVerifier,
                                 erasureHandlers, views);
    }
}
