package org.stillpoint.platform.config;

import com.mongodb.client.MongoDatabase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.security.Caller;
import org.stillpoint.security.CallerCheck;
import org.stillpoint.platform.erasure.ErasureHandler;
import org.stillpoint.platform.idempotency.IdempotencyFilter;

import java.time.Clock;

/**
 * {@code Idempotency-Key} on every service's creating requests, after the token was validated (its issuer, organisation
 * and subject scope keys); a replay passes the service's access check, and an erasure deletes the client's keys.
 */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    @Bean
    FilterRegistrationBean<IdempotencyFilter> stillpointIdempotency(MongoDatabase stillpointDatabase, Clock clock,
                                                                    ObjectProvider<ClientAccess> clientAccess,
                                                                    ObjectProvider<CallerCheck> callerChecks) {
        IdempotencyFilter.ReplayCheck check = (caller, clientId) -> {
            ClientAccess access = clientAccess.getIfAvailable();
            if (access != null) {
                // the caller as the directory holds them now, as for the act itself
                Caller checked = caller;
                for (CallerCheck callerCheck : callerChecks.orderedStream().toList()) {
                    checked = callerCheck.check(checked);
                }
                access.replay(checked, clientId);
            }
        };
        FilterRegistrationBean<IdempotencyFilter> registration =
                new FilterRegistrationBean<>(new IdempotencyFilter(stillpointDatabase, clock, check));
        registration.setOrder(0);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /** An erased client's kept answers go with the rest of their data. */
    @Bean
    ErasureHandler stillpointIdempotencyErasure(MongoDatabase stillpointDatabase) {
        return IdempotencyFilter.erasure(stillpointDatabase);
    }
}
