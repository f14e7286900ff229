package org.stillpoint.platform.config;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.stillpoint.platform.copy.CopyGrants;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.platform.record.RecordVerifier;
import org.stillpoint.platform.record.SigningKey;
import org.stillpoint.platform.web.SigningKeysEndpoint;
import org.stillpoint.security.RemoteKeys;

import java.time.Clock;

/**
 * Signed records (DESIGN §4): the signer every record this service produces passes through, its published keys at
 * {@code /.well-known/jwks.json}, and — for a service that consumes — the verifier of other services' records.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SigningProperties.class)
class SigningConfiguration {

    @Bean
    RecordSigner recordSigner(SigningProperties properties, Environment environment) {
        return new RecordSigner(SigningKey.decode(properties.key(), environment.matchesProfiles("local")),
                                SigningKey.published(properties.publishedKeys()));
    }

    @Bean
    SigningKeysEndpoint signingKeysEndpoint(RecordSigner recordSigner) {
        return new SigningKeysEndpoint(recordSigner);
    }

    /**
     * Copy grants (DESIGN §10): consent-service signs them and checks its own against the keys it publishes; the
     * services holding the rest of a record check them against consent-service's keys, fetched from {@code jwks-uri}
     * when the first grant arrives.
     */
    @Bean
    CopyGrants copyGrants(RecordSigner recordSigner, SigningProperties properties, Clock clock,
                          Environment environment) {
        if (CopyGrants.ISSUER.equals(environment.getProperty("spring.application.name"))) {
            return new CopyGrants(recordSigner, () -> new ImmutableJWKSet<>(recordSigner.jwks()), clock);
        }
        return new CopyGrants(recordSigner, () -> {
            String template = properties.jwksUri();
            if (template == null || !template.contains("{service}")) {
                throw new IllegalStateException("STILLPOINT_SIGNING_JWKS_URI (stillpoint.signing.jwks-uri) is not set: "
                                                        + "copy grants are checked against consent-service's keys");
            }
            return RemoteKeys.confirming(template.replace("{service}", CopyGrants.ISSUER));
        }, clock);
    }

    /** Made only where a consumer needs it, so a service that consumes nothing needs no {@code jwks-uri}. */
    @Bean
    @Lazy
    RecordVerifier recordVerifier(SigningProperties properties) {
        return RecordVerifier.fetching(properties.jwksUri());
    }
}
