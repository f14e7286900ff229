package org.stillpoint.session.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.SignedInMockMvc;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;

import java.util.UUID;

/**
 * session-service as it runs, on a real port (and through MockMvc), over the shared backends, with consent-service
 * beside it. Every test class that extends this shares one application context and database.
 */
@UsesBackends
@Import(SignedInMockMvc.class)
@AutoConfigureMockMvc
@SpringBootTest(classes = SessionServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stillpoint.consent-view.max-wait=2s")
public abstract class OnBackends {

    static final String DATABASE = "session-it-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry, DATABASE);
        TestIssuer.shared().register(registry);
    }
}
