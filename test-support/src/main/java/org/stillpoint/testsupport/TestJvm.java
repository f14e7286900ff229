package org.stillpoint.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command that starts a JVM from a test (a service, a gateway, a broker of a cluster, a command-line tool): this
 * JVM's {@code java} with the options the build gives every test JVM ({@code stillpoint.test.jvm} in the root pom: the
 * JIT's first tier only, as tests are start-ups and short bursts).
 */
public final class TestJvm {

    private TestJvm() {
    }

    /** {@code java} and the test JVMs' options, to which the caller adds its own. */
    public static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options());
        return command;
    }

    /** The options of {@code stillpoint.test.jvm}, none when it is unset or empty. */
    public static List<String> options() {
        String options = System.getProperty("stillpoint.test.jvm", "").strip();
        return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
    }
}
