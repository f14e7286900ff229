package org.stillpoint.gateway.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code stillpoint.console.*}: how the gateway signs browsers in to the compliance console (DESIGN §7). The gateway is
 * a confidential OpenID Connect client of {@code issuer} (Keycloak's realm in production, the local stack's own provider
 * under {@code /dev} locally), found by discovery on the first sign-in.
 *
 * @param issuer       the identity provider's issuer; its {@code /.well-known/openid-configuration} names the endpoints
 * @param clientId     the console's client at that provider
 * @param clientSecret the console client's secret: no default outside the local profile
 * @param scopes       the scopes asked for; {@code openid} and the one carrying Stillpoint's claims
 */
@ConfigurationProperties("stillpoint.console")
public record ConsoleProperties(String issuer,
                                @DefaultValue("stillpoint-console") String clientId,
                                String clientSecret,
                                @DefaultValue({"openid", "profile", "stillpoint"}) List<String> scopes) {

    public ConsoleProperties {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("stillpoint.console.issuer (STILLPOINT_CONSOLE_ISSUER) is not set: the "
                                                       + "identity provider browsers sign in to the console with");
        }
        if (clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("stillpoint.console.client-secret (STILLPOINT_CONSOLE_CLIENT_SECRET) is "
                                                       + "not set: the console client's secret at " + issuer);
        }
        scopes = List.copyOf(scopes);
    }
}
