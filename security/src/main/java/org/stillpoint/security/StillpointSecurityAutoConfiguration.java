package org.stillpoint.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodParameter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Every Stillpoint web application is an OAuth2 resource server: a request without a valid token (signed by a key of the
 * configured JWKS, from the configured issuer, for the configured audience, within its validity) is refused with
 * {@code 401} problem details before any controller runs. Controllers receive the {@link Caller} as a parameter.
 */
@AutoConfiguration(before = {OAuth2ResourceServerAutoConfiguration.class, SecurityAutoConfiguration.class,
        ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@EnableConfigurationProperties(TokenProperties.class)
public class StillpointSecurityAutoConfiguration {

    /**
     * Authentications and authorizations are observed (metrics and spans), the filter chain's every filter is not:
     * an observation around each of the chain's filters was a tenth of a command's CPU in the bench's profile, and the
     * request's own span (Spring MVC's) stays.
     */
    @Bean
    @ConditionalOnMissingBean
    public SecurityObservationSettings stillpointSecurityObservations() {
        return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
    }

    @Bean
    @ConditionalOnMissingBean
    public JwtDecoder jwtDecoder(TokenProperties properties) {
        if (properties.jwkSetUri() == null || properties.jwkSetUri().isBlank() || properties.issuer() == null
                || properties.issuer().isBlank()) {
            throw new IllegalStateException("stillpoint.security.issuer and stillpoint.security.jwk-set-uri must be set "
                                                    + "(STILLPOINT_SECURITY_ISSUER, STILLPOINT_SECURITY_JWK_SET_URI)");
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = RemoteKeys.at(properties.jwkSetUri());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stillpoint.security.jwk-set-uri is not a URL: " + properties.jwkSetUri());
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
                                                   .jwsAlgorithms(algorithms -> {
                                                       algorithms.add(SignatureAlgorithm.RS256);
                                                       algorithms.add(SignatureAlgorithm.ES256);
                                                   })
                                                   .build();
        decoder.setJwtValidator(validator(properties));
        // the issuer stays the string it is: converting it to a URL on every token (the default) looked up a URL
        // stream handler each time, 6% of a command's CPU in the bench's profile; Jwt.getIssuer() still converts
        decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(
                Map.of(JwtClaimNames.ISS, issuer -> issuer == null ? null : issuer.toString())));
        return decoder;
    }

    /** Issuer, audience, expiry and not-before: each checked on every token. */
    static OAuth2TokenValidator<Jwt> validator(TokenProperties properties) {
        JwtTimestampValidator time = new JwtTimestampValidator(properties.clockSkew());
        JwtClaimValidator<Object> expiry = new JwtClaimValidator<>(JwtClaimNames.EXP, exp -> exp != null);
        JwtClaimValidator<Object> subject = new JwtClaimValidator<>(JwtClaimNames.SUB, sub -> sub != null);
        JwtClaimValidator<List<String>> audience = new JwtClaimValidator<>(
                JwtClaimNames.AUD, aud -> aud != null && aud.contains(properties.audience()));
        return new DelegatingOAuth2TokenValidator<>(time, expiry, subject, new JwtIssuerValidator(properties.issuer()),
                                                    audience);
    }

    @Bean
    @ConditionalOnMissingBean
    public SecurityFilterChain stillpointSecurity(HttpSecurity http, JwtDecoder jwtDecoder, TokenProperties properties)
            throws Exception {
        return resourceServer(http, jwtDecoder, properties)
                .addFilterBefore(new BodySizeLimit(properties.maxBodySize().toBytes()), SecurityContextHolderFilter.class)
                .addFilterAfter(new RateLimit(properties.rateLimit(), System::nanoTime),
                                BearerTokenAuthenticationFilter.class)
                .build();
    }

    /**
     * The security every Stillpoint web application has: stateless, a valid token on every path but the public ones,
     * 401/403 as problem details. The gateway adds its own filters to it.
     */
    public static HttpSecurity resourceServer(HttpSecurity http, JwtDecoder jwtDecoder, TokenProperties properties)
            throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                   .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                   .authorizeHttpRequests(a -> a.requestMatchers(properties.publicPaths().toArray(String[]::new))
                                                .permitAll()
                                                // metrics and health details are the operators' (the probes are public)
                                                .requestMatchers("/actuator/**").access(StillpointSecurityAutoConfiguration::operator)
                                                .anyRequest().authenticated())
                   .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(jwtDecoder))
                                               .authenticationEntryPoint(StillpointSecurityAutoConfiguration::unauthenticated)
                                               .accessDeniedHandler(StillpointSecurityAutoConfiguration::forbidden))
                   .exceptionHandling(e -> e.authenticationEntryPoint(StillpointSecurityAutoConfiguration::unauthenticated)
                                            .accessDeniedHandler(StillpointSecurityAutoConfiguration::forbidden));
    }

    private static AuthorizationResult operator(Supplier<? extends Authentication> authentication,
                                                RequestAuthorizationContext request) {
        if (!(authentication.get() instanceof JwtAuthenticationToken token)) {
            return new AuthorizationDecision(false);
        }
        try {
            return new AuthorizationDecision(Caller.of(token.getToken()).has(Role.OPERATOR));
        } catch (RuntimeException e) {
            return new AuthorizationDecision(false);
        }
    }

    /** Controllers receive the caller of the request's token, once it passed the service's {@link CallerCheck}s. */
    @Bean
    public WebMvcConfigurer callerArgument(ObjectProvider<CallerCheck> checks) {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerResolver(checks));
            }
        };
    }

    static void unauthenticated(HttpServletRequest request, HttpServletResponse response,
                                AuthenticationException exception) throws IOException {
        boolean invalid = exception instanceof OAuth2AuthenticationException;
        response.setHeader("WWW-Authenticate", invalid ? "Bearer error=\"invalid_token\"" : "Bearer");
        Problems.write(response, 401, "Unauthorized", invalid ? "invalid-token" : "unauthenticated",
                       invalid ? "The bearer token was refused: " + why(exception.getMessage()) + "."
                               : "This request needs a bearer token (Authorization: Bearer ...).");
    }

    /** What is wrong with a refused token, in a few words: never the validator's own message. */
    static String why(String validatorMessage) {
        String message = validatorMessage == null ? "" : validatorMessage.toLowerCase(Locale.ROOT);
        if (message.contains("expired")) {
            return "it has expired";
        }
        if (message.contains("nbf") || message.contains("not before") || message.contains("not yet valid")) {
            return "it is not valid yet";
        }
        if (message.contains("iss")) {
            return "it was issued by an issuer this service does not trust";
        }
        if (message.contains("aud")) {
            return "it is not meant for this service (audience)";
        }
        return "it is malformed or not signed by a key this service trusts";
    }

    static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
            throws IOException {
        Problems.write(response, 403, "Forbidden", "forbidden", "The caller's token does not allow this request.");
    }

    /** Resolves a {@link Caller} controller parameter from the validated token of the request. */
    static final class CallerResolver implements HandlerMethodArgumentResolver {

        private final ObjectProvider<CallerCheck> checks;

        CallerResolver(ObjectProvider<CallerCheck> checks) {
            this.checks = checks;
        }

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return Caller.class.equals(parameter.getParameterType());
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                      NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
            if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
                Caller caller = Caller.of(token.getToken());
                for (CallerCheck check : checks.orderedStream().toList()) {
                    caller = check.check(caller);
                }
                return caller;
            }
            throw new IllegalStateException("no validated token on a request that needs a caller");
        }
    }
}
