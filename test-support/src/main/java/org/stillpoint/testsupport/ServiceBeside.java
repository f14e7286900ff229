package org.stillpoint.testsupport;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Another Stillpoint service, running in this test JVM on its own port and database over the shared {@link Backends},
 * so that a test talks to it over HTTP and receives its events only through Kafka, as in production. It trusts the
 * {@link TestIssuer}'s tokens. One instance per application class and JVM, closed at exit.
 */
public final class ServiceBeside {

    private static final Map<Class<?>, Http> RUNNING = new ConcurrentHashMap<>();
    private static final Map<Class<?>, ConfigurableApplicationContext> CONTEXTS = new ConcurrentHashMap<>();

    private ServiceBeside() {
    }

    /** The running service of {@code application}, started on first use. */
    public static Http of(Class<?> application) {
        return RUNNING.computeIfAbsent(application, ServiceBeside::start);
    }

    /**
     * The running service of {@code application}, started on first use with {@code settings} ({@code --name=value})
     * on top of the usual ones; a service already running is answered as it runs.
     */
    public static Http of(Class<?> application, List<String> settings) {
        return RUNNING.computeIfAbsent(application, a -> start(a, settings));
    }

    /**
     * The settings that tell consent-service where each other part of a client's copy is fetched
     * ({@code stillpoint.copies.parts.*}): session-service at {@code sessions}, referral-service at {@code referrals},
     * audit-service at {@code audit} (base addresses, {@code http://127.0.0.1:<port>}).
     */
    public static List<String> copyParts(String sessions, String referrals, String audit) {
        return List.of("--stillpoint.copies.parts.sessions=" + sessions + "/copies/{requestId}/sessions",
                       "--stillpoint.copies.parts.referrals=" + referrals + "/copies/{requestId}/referrals",
                       "--stillpoint.copies.parts.accesses=" + audit + "/copies/{requestId}/accesses",
                       "--stillpoint.copies.parts.disclosures=" + audit + "/copies/{requestId}/disclosures");
    }

    /** Whether the service of {@code application} was started already. */
    public static boolean running(Class<?> application) {
        return RUNNING.containsKey(application);
    }

    /** The running service's application context, started on first use: what a test asks of its beans. */
    public static ConfigurableApplicationContext context(Class<?> application) {
        of(application);
        return CONTEXTS.get(application);
    }

    private static Http start(Class<?> application) {
        return start(application, List.of());
    }

    private static Http start(Class<?> application, List<String> settings) {
        ConfigurableApplicationContext context = start(application, Backends.shared().mongoConnectionString(),
                                                       "beside-" + UUID.randomUUID().toString().substring(0, 8),
                                                       Backends.shared().kafkaBootstrapServers(),
                                                       settings.toArray(String[]::new));
        CONTEXTS.put(application, context);
        Runtime.getRuntime().addShutdownHook(new Thread(context::close, "service-beside"));
        return new Http(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    /**
     * Starts {@code application} in this JVM on a free port, with its own application.yml, on the given store, database
     * and broker, trusting the {@link TestIssuer}; {@code settings} ({@code --name=value}) come last and win.
     */
    public static ConfigurableApplicationContext start(Class<?> application, String mongoUri, String database,
                                                       String kafka, String... settings) {
        List<String> arguments = new ArrayList<>(arguments(application, mongoUri, database, kafka));
        arguments.add("--server.port=0");
        return new SpringApplicationBuilder(application).run(overridden(arguments, List.of(settings))
                                                                     .toArray(String[]::new));
    }

    /**
     * {@code arguments} with {@code settings} after them, and without the arguments a setting names again (Spring
     * would join two values of one name with a comma).
     */
    public static List<String> overridden(List<String> arguments, List<String> settings) {
        List<String> names = settings.stream().map(ServiceBeside::nameOf).toList();
        List<String> merged = new ArrayList<>(arguments.stream().filter(a -> !names.contains(nameOf(a))).toList());
        merged.addAll(settings);
        return merged;
    }

    private static String nameOf(String argument) {
        int equals = argument.indexOf('=');
        return equals < 0 ? argument : argument.substring(0, equals);
    }

    /**
     * The arguments that run {@code application} with its own application.yml on the given store, database and broker,
     * trusting the {@link TestIssuer}; as arguments, so they win over the application.yml as a deployment's would.
     */
    static List<String> arguments(Class<?> application, String mongoUri, String database, String kafka) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.config.location=" + configurationOf(application),
                "--spring.mongodb.uri=" + mongoUri,
                "--spring.mongodb.database=" + database,
                "--spring.kafka.bootstrap-servers=" + kafka));
        TestIssuer.shared().properties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    /**
     * The service's own application.yml, as a {@code spring.config.location}. Every service has one of that name, and
     * with several services on one class path the first one found would win, so the service's own is copied out of its
     * classes and named explicitly.
     */
    public static String configurationOf(Class<?> application) {
        try {
            String home = application.getProtectionDomain().getCodeSource().getLocation().toString();
            for (URL url : Collections.list(application.getClassLoader().getResources("application.yml"))) {
                if (url.toString().startsWith(home) || url.toString().startsWith("jar:" + home)) {
                    Path copy = Files.createTempFile(application.getSimpleName() + "-", ".yml");
                    try (InputStream in = url.openStream()) {
                        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return "file:" + copy;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(application.getName() + "'s application.yml is not on the class path");
    }
}
