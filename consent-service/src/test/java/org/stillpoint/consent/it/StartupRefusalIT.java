package org.stillpoint.consent.it;

import org.junit.jupiter.api.Test;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.record.SigningKey;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.UsesBackends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Outside the local profile a service does not start on a missing, malformed or development master key or signing key,
 * nor on topics that differ from what it needs (partitions, replication, retention).
 */
@UsesBackends
class StartupRefusalIT {

    @Test
    void aServiceRefusesToStartWithoutAMasterKeyOfItsOwn() {
        for (String key : new String[]{"", "c2hvcnQ=", "c3RpbGxwb2ludC1sb2NhbC1kZXYtbWFzdGVyLWtleSE="}) {
            refusedNaming("STILLPOINT_MASTER_KEY", "--stillpoint.crypto.master-key=" + key);
        }
    }

    @Test
    void aServiceRefusesToStartWithoutASigningKeyOfItsOwn() throws Exception {
        String development = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/main/resources/application-local.yml")).replaceAll("(?s).*key: '(\\{[^']*})'.*", "$1");
        for (String key : new String[]{"", "{\"kty\":\"oct\",\"k\":\"AAAA\"}",
                SigningKey.generate("public-only").toPublicJWK().toJSONString(), development}) {
            refusedNaming("STILLPOINT_SIGNING_KEY", "--stillpoint.signing.key=" + key);
        }
    }

    private static void refusedNaming(String setting, String argument) {
        assertThatThrownBy(() -> ServiceBeside.start(ConsentServiceApplication.class,
                                                     Backends.shared().mongoConnectionString(), "refused",
                                                     Backends.shared().kafkaBootstrapServers(), argument))
                .as(argument).rootCause().hasMessageContaining(setting);
    }

    @Test
    void aServiceRefusesToStartOnTopicsUnlikeWhatItNeeds() {
        // the topics exist already (made by the other tests' services with 3 partitions, one replica, kept forever)
        ServiceBeside.of(ConsentServiceApplication.class);
        assertThatThrownBy(() -> ServiceBeside.start(ConsentServiceApplication.class,
                                                     Backends.shared().mongoConnectionString(), "refused-topics",
                                                     Backends.shared().kafkaBootstrapServers(),
                                                     "--stillpoint.publication.partitions=12",
                                                     "--stillpoint.publication.retention-ms=604800000"))
                .rootCause()
                .hasMessageContaining("stillpoint.consent.v1 has 3 partitions, stillpoint.publication.partitions is 12")
                .hasMessageContaining("stillpoint.access.v1 has retention.ms -1, stillpoint.publication.retention-ms is 604800000");
        try (var started = ServiceBeside.start(ConsentServiceApplication.class, Backends.shared().mongoConnectionString(),
                                               "warned-topics", Backends.shared().kafkaBootstrapServers(),
                                               "--stillpoint.publication.partitions=12",
                                               "--stillpoint.publication.topic-mismatch=WARN")) {
            assertThat(started.isRunning()).as("the local profile's setting: said, not refused").isTrue();
        }
    }
}
