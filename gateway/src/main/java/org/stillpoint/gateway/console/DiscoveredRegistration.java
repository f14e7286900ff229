package org.stillpoint.gateway.console;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The console's one client registration, found by OpenID Connect discovery of the issuer when a browser first signs
 * in, then kept: the gateway starts whether or not the identity provider answers yet (the local stack's provider is
 * the gateway itself), and a sign-in while it does not answers an error rather than the gateway not starting.
 */
final class DiscoveredRegistration implements ClientRegistrationRepository {

    static final String ID = "stillpoint";

    private final ConsoleProperties console;
    private final AtomicReference<ClientRegistration> found = new AtomicReference<>();

    DiscoveredRegistration(ConsoleProperties console) {
        this.console = console;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!ID.equals(registrationId)) {
            return null;
        }
        ClientRegistration registration = found.get();
        if (registration == null) {
            registration = ClientRegistrations.fromIssuerLocation(console.issuer())
                                              .registrationId(ID)
                                              .clientId(console.clientId())
                                              .clientSecret(console.clientSecret())
                                              .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                                              .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                                              .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                                              .scope(console.scopes())
                                              .userNameAttributeName("sub")
                                              .build();
            found.compareAndSet(null, registration);
        }
        return registration;
    }
}
