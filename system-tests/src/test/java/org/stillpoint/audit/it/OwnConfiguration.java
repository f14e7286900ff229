package org.stillpoint.audit.it;

import org.stillpoint.testsupport.ServiceBeside;

/**
 * Every service's application.yml is on the system tests' class path, and Spring would take the first one found: a test
 * class that runs a service as its own {@code @SpringBootTest} names that service's own file (as {@link ServiceBeside}
 * does for the services it starts, whose command line wins over this). Each such class runs in a JVM of its own.
 */
final class OwnConfiguration {

    private OwnConfiguration() {
    }

    /** Call from the test class's static initialiser, before its Spring context is made. */
    static void of(Class<?> application) {
        System.setProperty("spring.config.location", ServiceBeside.configurationOf(application));
    }
}
