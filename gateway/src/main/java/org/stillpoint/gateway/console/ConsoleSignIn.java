package org.stillpoint.gateway.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.stillpoint.gateway.GatewayProperties;
import org.stillpoint.security.Problems;

import java.util.Set;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.filter.TokenRelayFilterFunctions.tokenRelay;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

/**
 * The compliance console's sign-in (DESIGN §7): the gateway is the browser's backend. A browser without a session is
 * sent to the identity provider (authorization code with PKCE); back from it, the gateway keeps the tokens in a
 * server-side session (an HttpOnly, SameSite cookie names it; Secure outside the local profile; it ends after the idle
 * timeout) and relays the access token, as a bearer, to audit-service's console pages. Every form posts with the
 * session's CSRF token, which the gateway hands to the pages in {@value #CSRF_HEADER}; sign-out ends the session here and
 * at the provider. The API keeps bearer tokens: nothing here applies outside these paths.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleSignIn {

    /** Where the console's pages are, at the gateway and at audit-service alike. */
    public static final String CONSOLE = "/console";
    /** Where a browser starts signing in. */
    public static final String SIGN_IN = "/oauth2/authorization/" + DiscoveredRegistration.ID;
    public static final String SIGN_OUT = CONSOLE + "/sign-out";
    public static final String SIGNED_OUT = "/signed-out";
    /** The request header that carries the session's CSRF token to the pages, for their forms. */
    public static final String CSRF_HEADER = "X-Stillpoint-Csrf";
    public static final String CSRF_PARAMETER = "_csrf";

    @Bean
    ClientRegistrationRepository consoleRegistration(ConsoleProperties console) {
        return new DiscoveredRegistration(console);
    }

    @Bean
    OAuth2AuthorizedClientManager consoleAuthorizedClients(ClientRegistrationRepository registrations,
                                                           OAuth2AuthorizedClientRepository authorizedClients) {
        DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations,
                                                                                                authorizedClients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode()
                                                                                 .refreshToken().build());
        return manager;
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ClientRegistrationRepository registrations,
                                           @Value("${server.servlet.session.cookie.name}") String sessionCookie)
            throws Exception {
        DefaultOAuth2AuthorizationRequestResolver authorizationRequests = new DefaultOAuth2AuthorizationRequestResolver(
                registrations, OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
        // PKCE for this confidential client too (RFC 9700 §2.1.1)
        authorizationRequests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        OidcClientInitiatedLogoutSuccessHandler signedOut = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        signedOut.setPostLogoutRedirectUri("{baseUrl}" + SIGNED_OUT);
        signedOut.setDefaultTargetUrl(SIGNED_OUT);
        MediaTypeRequestMatcher browsers = new MediaTypeRequestMatcher(new HeaderContentNegotiationStrategy(),
                                                                       MediaType.TEXT_HTML);
        browsers.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return http.securityMatcher(CONSOLE, CONSOLE + "/**", "/oauth2/authorization/**", "/login/oauth2/code/**",
                                    SIGNED_OUT)
                   .authorizeHttpRequests(a -> a.requestMatchers(SIGNED_OUT).permitAll().anyRequest().authenticated())
                   .oauth2Login(o -> o.loginPage(SIGN_IN)
                                      .authorizationEndpoint(e -> e.authorizationRequestResolver(authorizationRequests))
                                      .defaultSuccessUrl(CONSOLE, false)
                                      .failureUrl(SIGNED_OUT + "?failed"))
                   .logout(l -> l.logoutUrl(SIGN_OUT).logoutSuccessHandler(signedOut)
                                 .invalidateHttpSession(true).deleteCookies(sessionCookie))
                   .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                                                    new LoginUrlAuthenticationEntryPoint(SIGN_IN), browsers)
                                            .defaultAuthenticationEntryPointFor(
                                                    (request, response, exception) -> Problems.write(
                                                            response, 401, "Unauthorized", "unauthenticated",
                                                            "The console needs a signed-in browser session (open "
                                                                    + CONSOLE + " in a browser); the API takes bearer "
                                                                    + "tokens under /api."), AnyRequestMatcher.INSTANCE))
                   .build();
    }

    /**
     * {@code /console/**} → audit-service's console with the session's access token as bearer (refreshed when it has
     * expired), the CSRF token for the page's forms, and no browser cookies.
     */
    @Bean
    RouterFunction<ServerResponse> consoleRoute(GatewayProperties services) {
        return route("audit-service-console").route(path(CONSOLE).or(path(CONSOLE + "/**")), http())
                                             .before(uri(services.auditService()))
                                             .before(ConsoleSignIn::pageHeaders)
                                             .filter(tokenRelay())
                                             .build();
    }

    /**
     * The page's request as audit-service gets it: the access token as bearer (the route's relay), the CSRF token of
     * the session for the page's forms, no browser cookies; a form posted from a page goes on as it came
     * ({@link FormBodies}), without the CSRF token, which is the gateway's alone.
     */
    private static ServerRequest pageHeaders(ServerRequest request) {
        HttpServletRequest servlet = request.servletRequest();
        CsrfToken csrf = (CsrfToken) servlet.getAttribute(CsrfToken.class.getName());
        HttpServletRequest sent = FormBodies.forwarded(servlet);
        if (sent != servlet) {
            request = ServerRequest.create(sent, request.messageConverters());
        }
        return ServerRequest.from(request).headers(headers -> {
            headers.remove(HttpHeaders.COOKIE);
            headers.remove(CSRF_HEADER);
            headers.remove(HttpHeaders.CONTENT_LENGTH);
            if (csrf != null) {
                headers.set(CSRF_HEADER, csrf.getToken());
            }
        }).build();
    }

    /** Keeps a console page's posted form for its route (before the CSRF check reads it). */
    @Bean
    FilterRegistrationBean<FormBodies> consoleFormBodies() {
        FilterRegistrationBean<FormBodies> registration = new FilterRegistrationBean<>(new FormBodies());
        registration.addUrlPatterns(CONSOLE + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
