package org.stillpoint.testsupport;

import com.mongodb.client.MongoDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

/**
 * A service as it runs, on a real port (and through MockMvc), over the shared {@link Backends}, trusting the
 * {@link TestIssuer}: what a service's integration tests extend, naming the application in their own
 * {@code @SpringBootTest(classes = …, webEnvironment = RANDOM_PORT)}. Every test class of the JVM that extends it
 * shares one application context and one database of its own for this test run.
 */
@UsesBackends
@Import(SignedInMockMvc.class)
@AutoConfigureMockMvc
public abstract class OnSharedBackends {

    /** The service's port. */
    @LocalServerPort
    protected int port;

    /** The service's database, as the service sees it. */
    @Autowired
    protected MongoDatabase database;

    /** The service's database in this test run. */
    public static final String DATABASE = "it-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry, DATABASE);
        TestIssuer.shared().register(registry);
    }
}
