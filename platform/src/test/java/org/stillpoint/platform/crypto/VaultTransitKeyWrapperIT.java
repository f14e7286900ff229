package org.stillpoint.platform.crypto;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.VaultMount;
import org.springframework.vault.support.VaultTransitKeyCreationRequest;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client keys wrapped by a real Vault's Transit engine (a container; skipped where there is no Docker): bound to their
 * associated data, refused on a key that is not derived, and rotated from one Transit key to the next with both opening
 * during the rotation and only the configured ones after.
 */
@Testcontainers(disabledWithoutDocker = true)
class VaultTransitKeyWrapperIT {

    @Container
    static final GenericContainer<?> VAULT = new GenericContainer<>("hashicorp/vault:1.18")
            .withEnv("VAULT_DEV_ROOT_TOKEN_ID", "root-token-for-tests")
            .withExposedPorts(8200)
            .waitingFor(Wait.forHttp("/v1/sys/health").forStatusCode(200));

    private static VaultTransitOperations transit;

    @BeforeAll
    static void transitEngine() {
        VaultTemplate vault = new VaultTemplate(
                VaultEndpoint.from(URI.create("http://" + VAULT.getHost() + ":" + VAULT.getMappedPort(8200))),
                new TokenAuthentication("root-token-for-tests"));
        vault.opsForSys().mount("transit", VaultMount.create("transit"));
        transit = vault.opsForTransit("transit");
        transit.createKey("stillpoint-1", VaultTransitKeyCreationRequest.builder().derived(true).build());
        transit.createKey("stillpoint-2", VaultTransitKeyCreationRequest.builder().derived(true).build());
        transit.createKey("not-derived");
    }

    @Test
    void aDataKeyOpensOnlyWithTheAssociatedDataItWasWrappedWith() {
        VaultTransitKeyWrapper wrapper = new VaultTransitKeyWrapper(transit, "transit", "stillpoint-1", List.of());
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        byte[] client = "stillpoint-data-key|consent-service|client/a/1".getBytes(StandardCharsets.UTF_8);
        String wrapped = wrapper.wrap(dataKey, client);
        assertThat(wrapped).startsWith("vault:v1:");
        assertThat(wrapper.currentKeyId()).isEqualTo("vault:transit/stillpoint-1");
        assertThat(wrapper.unwrap(wrapper.currentKeyId(), wrapped, client)).isEqualTo(dataKey);
        byte[] other = "stillpoint-data-key|consent-service|client/b/1".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> wrapper.unwrap(wrapper.currentKeyId(), wrapped, other))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bound to another client");
    }

    @Test
    void aTransitKeyThatIsNotDerivedOrMissingIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new VaultTransitKeyWrapper(transit, "transit", "not-derived", List.of()))
                .hasMessageContaining("not derived");
        assertThatThrownBy(() -> new VaultTransitKeyWrapper(transit, "transit", "nowhere", List.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void aRotationToAnotherTransitKeyOpensBothUntilItIsDone() {
        byte[] dataKey = new byte[32];
        byte[] binding = "stillpoint-data-key|session-service|client/c/1".getBytes(StandardCharsets.UTF_8);
        VaultTransitKeyWrapper before = new VaultTransitKeyWrapper(transit, "transit", "stillpoint-1", List.of());
        String old = before.wrap(dataKey, binding);
        VaultTransitKeyWrapper during = new VaultTransitKeyWrapper(transit, "transit", "stillpoint-2",
                                                                   List.of("stillpoint-1"));
        assertThat(during.rotating()).isTrue();
        assertThat(during.unwrap("vault:transit/stillpoint-1", old, binding)).isEqualTo(dataKey);
        String rewrapped = during.wrap(dataKey, binding);
        VaultTransitKeyWrapper after = new VaultTransitKeyWrapper(transit, "transit", "stillpoint-2", List.of());
        assertThat(after.unwrap(after.currentKeyId(), rewrapped, binding)).isEqualTo(dataKey);
        assertThat(after.opens("vault:transit/stillpoint-1")).isFalse();
        assertThatThrownBy(() -> after.unwrap("vault:transit/stillpoint-1", old, binding))
                .hasMessageContaining("not configured here");
    }
}
