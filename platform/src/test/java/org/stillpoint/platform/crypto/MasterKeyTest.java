package org.stillpoint.platform.crypto;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    private static final String OWN = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aMissingKeyIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> MasterKey.decode(null, false)).hasMessageContaining("STILLPOINT_MASTER_KEY")
                                                               .hasMessageContaining("is not set");
        assertThatThrownBy(() -> MasterKey.decode("  ", true)).hasMessageContaining("STILLPOINT_MASTER_KEY");
    }

    @Test
    void aMalformedKeyIsRefused() {
        assertThatThrownBy(() -> MasterKey.decode("not base64!", false)).hasMessageContaining("not Base64");
        assertThatThrownBy(() -> MasterKey.decode(Base64.getEncoder().encodeToString(new byte[16]), false))
                .hasMessageContaining("must be 32 bytes").hasMessageContaining("16 bytes");
    }

    @Test
    void theDevelopmentKeyIsAcceptedInTheLocalProfileOnly() {
        assertThatThrownBy(() -> MasterKey.decode(MasterKey.DEVELOPMENT, false)).hasMessageContaining("development key");
        assertThat(MasterKey.decode(MasterKey.DEVELOPMENT, true)).hasSize(32);
        assertThat(MasterKey.decode(OWN, false)).hasSize(32);
    }
}
