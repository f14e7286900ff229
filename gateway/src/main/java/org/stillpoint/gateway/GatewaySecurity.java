package org.stillpoint.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.stillpoint.security.BodySizeLimit;
import org.stillpoint.security.RateLimit;
import org.stillpoint.security.StillpointSecurityAutoConfiguration;
import org.stillpoint.security.TokenProperties;

/**
 * The gateway's filter chain: the body cap first, then the services' own token validation, then the rate limit per
 * validated subject; every request logged without its body.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurity {

    /** Last: the console's sign-in and, locally, the dev identity provider come first, each on its own paths. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain gatewayFilterChain(HttpSecurity http, JwtDecoder jwtDecoder, TokenProperties tokens,
                                        GatewayProperties gateway) throws Exception {
        return StillpointSecurityAutoConfiguration.resourceServer(http, jwtDecoder, tokens)
                .addFilterAfter(new RequestLog(), SecurityContextHolderFilter.class)
                .addFilterBefore(new BodySizeLimit(gateway.maxBodySize().toBytes()), SecurityContextHolderFilter.class)
                .addFilterAfter(new RateLimit(new TokenProperties.RateLimit(gateway.rateLimit().burst(),
                                                                             gateway.rateLimit().perSecond(),
                                                                             tokens.rateLimit().concurrent()),
                                               System::nanoTime), BearerTokenAuthenticationFilter.class)
                .build();
    }
}
