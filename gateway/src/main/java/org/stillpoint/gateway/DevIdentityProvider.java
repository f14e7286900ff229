package org.stillpoint.gateway;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.stillpoint.gateway.console.ConsoleProperties;
import org.stillpoint.gateway.console.ConsoleSignIn;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;
import org.stillpoint.security.TokenMinter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The local stack's identity provider (DESIGN §7), in the {@code local} profile only: Spring Authorization Server under
 * {@code /dev} (issuer {@code http://127.0.0.1:<port>/dev}, discovery at {@code /dev/.well-known/openid-configuration}),
 * signing with the same key as {@code POST /dev/tokens}, so the services trust both. Its sign-in page lists the dev
 * users of {@code stillpoint.dev-identity.users} and the claims their tokens carry; the console signs in through it
 * exactly as it does through Keycloak in production. Its session state is kept apart from the console's (its own
 * security context and saved request in the shared session), so signing out of the console signs out of both.
 */
@Profile("local")
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DevIdentityProvider.DevUsers.class)
class DevIdentityProvider {

    static final String SIGN_IN_PAGE = "/dev/sign-in";
    private static final String CONTEXT = "STILLPOINT_DEV_IDENTITY_CONTEXT";
    private static final String SAVED_REQUEST = "STILLPOINT_DEV_IDENTITY_REQUEST";

    /**
     * {@code stillpoint.dev-identity.*}: who may sign in to the local stack, with one password for all of them.
     */
    @ConfigurationProperties("stillpoint.dev-identity")
    record DevUsers(String password, List<DevUser> users) {

        DevUsers {
            users = users == null ? List.of() : List.copyOf(users);
        }

        DevUser find(String username) {
            return users.stream().filter(u -> u.username().equals(username)).findFirst()
                        .orElseThrow(() -> new UsernameNotFoundException(username));
        }
    }

    /** A dev user and the claims of their tokens. */
    record DevUser(String username, String name, String organisation, List<String> clinics, List<Role> roles,
                   String client) {

        DevUser {
            clinics = clinics == null ? List.of() : List.copyOf(clinics);
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    @Bean
    AuthorizationServerSettings devAuthorizationServer() {
        // the issuer is the path before each endpoint: http://127.0.0.1:<port>/dev for /dev/oauth2/token
        return AuthorizationServerSettings.builder().multipleIssuersAllowed(true).build();
    }

    @Bean
    JWKSource<SecurityContext> devSigningKey(TokenMinter minter) {
        return minter.jwkSource();
    }

    @Bean
    RegisteredClientRepository devClients(ConsoleProperties console,
                                          @Value("${server.port}") int port) {
        String gateway = "http://127.0.0.1:" + port;
        RegisteredClient consoleClient = RegisteredClient.withId(console.clientId())
                .clientId(console.clientId())
                .clientSecret("{noop}" + console.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri(gateway + "/login/oauth2/code/stillpoint")
                .redirectUri("http://localhost:" + port + "/login/oauth2/code/stillpoint")
                .postLogoutRedirectUri(gateway + ConsoleSignIn.SIGNED_OUT)
                .postLogoutRedirectUri("http://localhost:" + port + ConsoleSignIn.SIGNED_OUT)
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope("stillpoint")
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(15))
                                            .refreshTokenTimeToLive(Duration.ofHours(8)).build())
                .build();
        return new InMemoryRegisteredClientRepository(consoleClient);
    }

    /** The claims the services decide on, in the access token; the person's name in the ID token. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> devClaims(DevUsers users, TokenMinter minter) {
        return context -> {
            DevUser user = users.find(context.getPrincipal().getName());
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                context.getClaims().audience(List.of(minter.audience()))
                       .claim(Caller.ORGANISATION, user.organisation())
                       .claim(Caller.CLINICS, user.clinics())
                       .claim(Caller.ROLES, user.roles().stream().map(Role::name).toList());
                if (user.client() != null) {
                    context.getClaims().claim(Caller.CLIENT, user.client());
                }
            } else {
                context.getClaims().claim("name", user.name());
            }
        };
    }

    @Bean
    UserDetailsService devUserDetails(DevUsers users) {
        Map<String, DevUser> byName = users.users().stream().collect(Collectors.toMap(DevUser::username,
                                                                                      Function.identity()));
        return username -> {
            DevUser user = byName.get(username);
            if (user == null || users.password() == null) {
                throw new UsernameNotFoundException(username);
            }
            return User.withUsername(username).password("{noop}" + users.password())
                       .authorities(user.roles().stream().map(Role::name).toArray(String[]::new)).build();
        };
    }

    /** The provider's endpoints: authorize, token, JWKS, discovery, user info, end session. */
    @Bean
    @Order(0)
    SecurityFilterChain devIdentityEndpoints(HttpSecurity http) throws Exception {
        MediaTypeRequestMatcher browsers = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        http.oauth2AuthorizationServer(server -> {
                http.securityMatcher(server.getEndpointsMatcher());
                server.oidc(Customizer.withDefaults());
            })
            .authorizeHttpRequests(a -> a.anyRequest().authenticated())
            .securityContext(c -> c.securityContextRepository(contexts()))
            .requestCache(c -> c.requestCache(savedRequests()))
            .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint(SIGN_IN_PAGE), browsers));
        return http.build();
    }

    /** The sign-in form for dev users. */
    @Bean
    @Order(1)
    SecurityFilterChain devSignIn(HttpSecurity http) throws Exception {
        return http.securityMatcher(SIGN_IN_PAGE)
                   .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                   .securityContext(c -> c.securityContextRepository(contexts()))
                   .requestCache(c -> c.requestCache(savedRequests()))
                   .formLogin(f -> f.loginPage(SIGN_IN_PAGE).loginProcessingUrl(SIGN_IN_PAGE)
                                    .failureUrl(SIGN_IN_PAGE + "?failed"))
                   .build();
    }

    private static HttpSessionSecurityContextRepository contexts() {
        HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
        contexts.setSpringSecurityContextKey(CONTEXT);
        return contexts;
    }

    private static HttpSessionRequestCache savedRequests() {
        HttpSessionRequestCache requests = new HttpSessionRequestCache();
        requests.setSessionAttrName(SAVED_REQUEST);
        return requests;
    }

    /** Found by component scanning, hence its own profile condition. */
    @Profile("local")
    @Controller
    static class SignInPage {

        private final DevUsers users;

        SignInPage(DevUsers users) {
            this.users = users;
        }

        @GetMapping(SIGN_IN_PAGE)
        String signIn(Model model) {
            model.addAttribute("users", users.users());
            return "dev/sign-in";
        }
    }
}
