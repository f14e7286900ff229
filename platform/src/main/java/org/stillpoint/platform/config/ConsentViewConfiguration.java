package org.stillpoint.platform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.stillpoint.platform.consent.ConsentViewListener;
import org.stillpoint.platform.consent.KafkaConsentGate;

import java.util.Map;

/** A service's own consent view and the gate over it, when {@code stillpoint.consent-view.topic} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("stillpoint.consent-view.topic")
class ConsentViewConfiguration {

    /** Each poll's records at once, committed after they were applied; a failure is retried every second, never skipped. */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> stillpointConsentViewContainerFactory(KafkaProperties kafka) {
        return ListenerContainers.batches(kafka);
    }

    @Bean
    ConsentViewListener consentViewListener(MongoTemplate mongo, ObjectMapper stillpointEventJson) {
        return new ConsentViewListener(mongo, stillpointEventJson);
    }

    @Bean(destroyMethod = "close")
    Admin stillpointConsentAdmin(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildAdminProperties();
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(config);
    }

    @Bean
    KafkaConsentGate consentGate(Admin stillpointConsentAdmin, MongoTemplate mongo, ConsentViewProperties properties) {
        return new KafkaConsentGate(stillpointConsentAdmin, mongo, properties.topic(), properties.maxWait());
    }
}
