package org.stillpoint.consent.it;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call that bypasses the gateway meets the same limits: the service itself bounds each token subject's rate
 * ({@code 429} problem details with {@code Retry-After}) while other subjects go on.
 */
@UsesBackends
class DirectLimitsIT {

    @Test
    void aSubjectPastItsRateIsRefusedByTheServiceItselfAndOthersAreNot() {
        try (ConfigurableApplicationContext service = ServiceBeside.start(
                ConsentServiceApplication.class, Backends.shared().mongoConnectionString(), "limits",
                Backends.shared().kafkaBootstrapServers(), "--stillpoint.security.rate-limit.burst=3",
                "--stillpoint.security.rate-limit.per-second=0.05")) {
            Http direct = new Http(Integer.parseInt(service.getEnvironment().getProperty("local.server.port")));
            Http pat = direct.withToken(TestIssuer.shared().practitioner());
            List<Integer> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pat.get("/api/clients/" + java.util.UUID.randomUUID()).status());
            }
            assertThat(answers).as("within the burst: answered (the client does not exist)").containsOnly(404);
            Http.Response limited = pat.get("/api/clients/" + java.util.UUID.randomUUID());
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
            assertThat(limited.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:rate-limited");
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
            Http other = direct.withToken(TestIssuer.shared().token("sam-practitioner", TestIssuer.ORGANISATION,
                                                                    List.of(TestIssuer.CLINIC), List.of("PRACTITIONER")));
            assertThat(other.get("/api/clients/" + java.util.UUID.randomUUID()).status()).as("another subject")
                                                                                        .isEqualTo(404);
            assertThat(direct.get("/actuator/health/readiness").status()).as("the probes are not limited")
                                                                         .isEqualTo(200);
        }
    }
}
