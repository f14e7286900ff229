package org.stillpoint.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Stillpoint service in a process of its own, on the shared {@link Backends}, started from the test's class path with
 * the service's own application.yml: for tests that kill a service ({@code kill -9}) and start it again.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(90);

    private final Class<?> application;
    private final String database;
    private final int port;
    private final Path log;
    private final List<String> settings;
    private Process process;

    /**
     * A process of {@code application} on its own database, on a free port, not started yet; {@code settings}
     * ({@code --name=value}) come last and win.
     */
    public ServiceProcess(Class<?> application, String database, String... settings) {
        this.application = application;
        this.database = database;
        this.settings = List.of(settings);
        this.port = FreePort.any();
        try {
            this.log = Files.createTempFile(application.getSimpleName() + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Http http() {
        return new Http(port);
    }

    /** Where the process writes its output. */
    public Path log() {
        return log;
    }

    /** Starts it (again, on the same port and database) and returns once it is ready. */
    public ServiceProcess start() {
        List<String> command = new ArrayList<>(TestJvm.command());
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-Daxoniq.update-checker.disabled=true", "-cp",
                               System.getProperty("java.class.path"), application.getName()));
        List<String> arguments = new ArrayList<>(ServiceBeside.arguments(
                application, Backends.shared().mongoConnectionString(), database, Backends.shared().kafkaBootstrapServers()));
        arguments.add("--server.port=" + port);
        command.addAll(ServiceBeside.overridden(arguments, settings));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                                                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START.toNanos();
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(application.getSimpleName() + " did not start; see " + log);
            }
            sleep(250);
        }
        return this;
    }

    /** Ends the process at once, as {@code kill -9} does: no shutdown hook, nothing flushed. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean ready() {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                          .timeout(Duration.ofSeconds(2)).build(),
                               HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
