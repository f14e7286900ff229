package org.stillpoint.platform.config;

import com.mongodb.client.MongoDatabase;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.platform.idempotency.IdempotencyFilter;

import java.time.Clock;

/** {@code Idempotency-Key} on every service's creating requests, after the token was validated (its subject scopes keys). */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    @Bean
    FilterRegistrationBean<IdempotencyFilter> stillpointIdempotency(MongoDatabase stillpointDatabase, Clock clock) {
        FilterRegistrationBean<IdempotencyFilter> registration =
                new FilterRegistrationBean<>(new IdempotencyFilter(stillpointDatabase, clock));
        registration.setOrder(0);
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
