package org.stillpoint.platform.config;

import com.mongodb.client.MongoDatabase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.stillpoint.platform.crypto.ClientKeys;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.crypto.KeyRotation;
import org.stillpoint.platform.crypto.KeyWrapper;
import org.stillpoint.platform.crypto.LocalKeyWrapper;
import org.stillpoint.platform.crypto.MasterKey;
import org.stillpoint.platform.crypto.VaultTransitKeyWrapper;

import java.net.URI;

/** Field encryption: a data key per client, wrapped by Vault's Transit engine or the master key, and its rotation. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CryptoProperties.class)
class CryptoConfiguration {

    /**
     * The clients' data keys wrapped by Vault's Transit engine ({@code stillpoint.crypto.vault.*}), or else by the master
     * key (and, during a rotation, the previous ones).
     */
    @Bean
    @ConditionalOnMissingBean(KeyWrapper.class)
    KeyWrapper stillpointKeyWrapper(CryptoProperties properties, Environment environment) {
        CryptoProperties.Vault vault = properties.vault();
        if (vault.configured()) {
            if (vault.token() == null || vault.token().isBlank() || vault.transitKey() == null
                    || vault.transitKey().isBlank()) {
                throw new IllegalStateException("STILLPOINT_VAULT_URI is set: STILLPOINT_VAULT_TOKEN and "
                                                        + "STILLPOINT_VAULT_TRANSIT_KEY are needed too");
            }
            VaultTemplate template = new VaultTemplate(VaultEndpoint.from(URI.create(vault.uri())),
                                                       new TokenAuthentication(vault.token()));
            return new VaultTransitKeyWrapper(template.opsForTransit(vault.mount()), vault.mount(),
                                              vault.transitKey(), vault.previousTransitKeys());
        }
        boolean local = environment.matchesProfiles("local");
        return new LocalKeyWrapper(MasterKey.decode(properties.masterKey(), local),
                                   properties.previousMasterKeys().stream().map(k -> MasterKey.decode(k, local)).toList());
    }

    @Bean
    ClientKeys clientKeys(MongoDatabase stillpointDatabase, KeyWrapper stillpointKeyWrapper,
                          @Value("${spring.application.name}") String service) {
        return new ClientKeys(stillpointDatabase, stillpointKeyWrapper, service);
    }

    @Bean
    KeyRotation stillpointKeyRotation(ClientKeys clientKeys, KeyWrapper stillpointKeyWrapper) {
        return new KeyRotation(clientKeys, stillpointKeyWrapper.rotating());
    }

    @Bean
    FieldCipher fieldCipher(ClientKeys clientKeys) {
        return new FieldCipher(clientKeys);
    }
}
