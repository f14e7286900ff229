package org.stillpoint.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.stillpoint.audit.ingest.AuditListener;
import org.stillpoint.audit.ingest.Ledger;
import org.stillpoint.platform.config.ListenerContainers;

import java.time.Clock;

/** One consumer over every topic, a record at a time, committed after each; a failing record is retried, never skipped. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> stillpointAuditContainerFactory(KafkaProperties kafka) {
        return ListenerContainers.recordAtATime(kafka, "audit-service");
    }

    @Bean
    Ledger ledger(MongoTemplate mongo) {
        return new Ledger(mongo);
    }

    @Bean
    AuditListener auditListener(MongoTemplate mongo, ObjectMapper stillpointEventJson, Ledger ledger, Clock clock) {
        return new AuditListener(mongo, stillpointEventJson, ledger, clock);
    }
}
