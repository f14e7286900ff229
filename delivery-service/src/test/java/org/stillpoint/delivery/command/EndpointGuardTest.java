package org.stillpoint.delivery.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stillpoint.platform.problem.Refusal;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a webhook may go: public https hosts only, and loopback and http only where the local profile allows them. */
class EndpointGuardTest {

    private final EndpointGuard production = new EndpointGuard(List.of(), false, false);
    private final EndpointGuard local = new EndpointGuard(List.of(), true, true);

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hooks", "https://localhost/hooks", "https://[::1]/hooks",
                            "https://10.1.2.3/hooks", "https://172.16.0.9/hooks", "https://192.168.1.1/hooks",
                            "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/hooks",
                            "https://0.0.0.0/hooks", "https://[fd12::1]/hooks", "https://[fe80::1]/hooks",
                            "https://[::ffff:10.0.0.1]/hooks", "https://224.0.0.1/hooks",
                            "http://93.184.215.14/hooks", "https://user:secret@93.184.215.14/hooks",
                            "https://93.184.215.14/hooks#part", "ftp://93.184.215.14/", "not a url", "https:///hooks",
                            "https://no-such-host.invalid/hooks",
                            // loopback written as one number, or with parts left out: refused by what it resolves to
                            "https://2130706433/hooks", "https://127.1/hooks", "https://0x7f.1/hooks"})
    void productionRefusesWhatIsNotAPublicHttpsEndpoint(String endpoint) {
        assertThatThrownBy(() -> production.check(endpoint)).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.code()).isEqualTo("endpoint-not-allowed");
            assertThat(refusal.field()).isEqualTo("endpoint");
        });
    }

    @Test
    void aPublicHttpsAddressPasses() {
        assertThat(production.check("https://93.184.215.14/hooks?token=abc").getHost()).isEqualTo("93.184.215.14");
    }

    @Test
    void theLocalProfileAllowsLoopbackOverHttpButStillNoPrivateAddress() {
        assertThat(local.check("http://127.0.0.1:8099/hooks").getPort()).isEqualTo(8099);
        assertThatThrownBy(() -> local.check("http://10.0.0.1/hooks")).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> local.check("http://169.254.169.254/")).isInstanceOf(Refusal.class);
    }

    @Test
    void anAllowListAdmitsItsHostsAndTheirDomainsOnly() {
        EndpointGuard listed = new EndpointGuard(List.of("93.184.215.14", "*.example.org"), false, false);
        assertThat(listed.check("https://93.184.215.14/hooks")).isNotNull();
        assertThatThrownBy(() -> listed.check("https://93.184.215.15/hooks")).isInstanceOf(Refusal.class)
                                                                              .hasMessageContaining("allow-list");
    }
}
