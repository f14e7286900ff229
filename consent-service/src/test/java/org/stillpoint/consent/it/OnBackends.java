package org.stillpoint.consent.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.SignedInMockMvc;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;

import java.util.UUID;

/**
 * consent-service as it runs, on a real port (and through MockMvc), over the shared backends (embedded or containers). Every test class that
 * extends this shares one application context and one database of its own for this test run.
 */
@UsesBackends
@Import(SignedInMockMvc.class)
@AutoConfigureMockMvc
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stillpoint.consent.expiry-check-interval=500ms",
                      // a send to an unreachable broker fails within seconds, so an outage test sees failed batches
                      "spring.kafka.producer.properties.delivery.timeout.ms=3000",
                      "spring.kafka.producer.properties.request.timeout.ms=1000",
                      "spring.kafka.producer.properties.max.block.ms=2000"})
public abstract class OnBackends {

    static final String DATABASE = "consent-it-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry, DATABASE);
        TestIssuer.shared().register(registry);
    }
}
