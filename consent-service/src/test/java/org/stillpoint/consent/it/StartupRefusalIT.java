package org.stillpoint.consent.it;

import org.junit.jupiter.api.Test;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.UsesBackends;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outside the local profile a service does not start on a missing, malformed or development master key. */
@UsesBackends
class StartupRefusalIT {

    @Test
    void aServiceRefusesToStartWithoutAMasterKeyOfItsOwn() {
        for (String key : new String[]{"", "c2hvcnQ=", "c3RpbGxwb2ludC1sb2NhbC1kZXYtbWFzdGVyLWtleSE="}) {
            assertThatThrownBy(() -> ServiceBeside.start(ConsentServiceApplication.class,
                                                         Backends.shared().mongoConnectionString(), "refused",
                                                         Backends.shared().kafkaBootstrapServers(),
                                                         "--stillpoint.crypto.master-key=" + key))
                    .as("master key '%s'", key)
                    .rootCause().hasMessageContaining("STILLPOINT_MASTER_KEY");
        }
    }
}
