package org.stillpoint.gateway.it;

import org.stillpoint.audit.AuditServiceApplication;
import org.stillpoint.delivery.DeliveryServiceApplication;
import org.stillpoint.directory.DirectoryServiceApplication;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.referral.ReferralServiceApplication;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.FreePort;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TestJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite as it runs: the services on the shared embedded broker and store, each on its own port, and a
 * gateway in front of them, all trusting the {@link TestIssuer}. Started once per JVM; test classes share it.
 */
final class Suite {

    /** The gateway as deployed: its runnable jar, built by the package phase before the integration tests run. */
    private static final Path JAR = Path.of("target", "gateway-exec.jar");

    private static Http gateway;

    private Suite() {
    }

    /** The gateway in front of the running services, without a token. */
    static synchronized Http gateway() {
        if (gateway == null) {
            gateway = startGateway(List.of("--stillpoint.gateway.rate-limit.burst=100000", "--stillpoint.gateway.rate-limit.per-second=100000"));
        }
        return gateway;
    }

    /**
     * Consent-service, started after the others so that it knows where each part of a client's copy is fetched
     * ({@code stillpoint.copies.parts.*}).
     */
    static Http consent() {
        if (!ServiceBeside.running(ConsentServiceApplication.class)) {
            sessions();
            referrals();
            audit();
        }
        return ServiceBeside.of(ConsentServiceApplication.class, copyParts());
    }

    /** Where consent-service fetches each part of a copy: the services running beside it. */
    static List<String> copyParts() {
        List<String> settings = new ArrayList<>(ServiceBeside.copyParts("http://127.0.0.1:" + sessions().port(),
                                                                         "http://127.0.0.1:" + referrals().port(),
                                                                         "http://127.0.0.1:" + audit().port()));
        settings.add("--stillpoint.copies.check-interval=1s");
        return settings;
    }

    static Http sessions() {
        return ServiceBeside.of(SessionServiceApplication.class);
    }

    static Http referrals() {
        return ServiceBeside.of(ReferralServiceApplication.class);
    }

    static Http audit() {
        return ServiceBeside.of(AuditServiceApplication.class);
    }

    /** delivery-service, delivering to receivers on loopback over plain http, as the local profile lets it. */
    static Http delivery() {
        return ServiceBeside.of(DeliveryServiceApplication.class, List.of("--stillpoint.delivery.allow-loopback=true",
                                                                          "--stillpoint.delivery.allow-http=true",
                                                                          "--stillpoint.delivery.first-wait=200ms",
                                                                          "--stillpoint.delivery.refresh-every=200ms"));
    }

    /**
     * directory-service, seeded with stillwater's two clinics of the suite and its organisation admin: stillwater is an
     * organisation with a directory (its clinics checked on every registration), whose members of staff the directory
     * does not name are decided on their tokens, as the suite's settings say ({@code trust-token}).
     */
    static Http directory() {
        return ServiceBeside.of(DirectoryServiceApplication.class, List.of(
                "--stillpoint.directory.seed[0].organisation=" + Callers.ORGANISATION,
                "--stillpoint.directory.seed[0].clinics[0].id=" + Callers.CLINIC,
                "--stillpoint.directory.seed[0].clinics[0].name=Harbour Street",
                "--stillpoint.directory.seed[0].clinics[1].id=mill-lane",
                "--stillpoint.directory.seed[0].clinics[1].name=Mill Lane",
                "--stillpoint.directory.seed[0].members[0].subject=" + ADMIN,
                "--stillpoint.directory.seed[0].members[0].roles[0]=ORGANISATION_ADMIN"));
    }

    /** stillwater's organisation admin, seeded. */
    static final String ADMIN = "organisation-admin@stillwater";

    /**
     * Another gateway in front of the same services, with {@code settings} (as command-line arguments) on top: the
     * gateway's runnable jar in a process of its own, as deployed, its output in {@code target/<name>.log}.
     */
    static Http startGateway(List<String> settings) {
        return startGateway(settings, FreePort.any());
    }

    /** As {@link #startGateway(List)}, on {@code port}. */
    static Http startGateway(List<String> settings, int port) {
        Path log = Path.of("target", "gateway-" + port + ".log");
        List<String> defaults = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--stillpoint.gateway.consent-service=http://127.0.0.1:" + consent().port(),
                "--stillpoint.gateway.session-service=http://127.0.0.1:" + sessions().port(),
                "--stillpoint.gateway.referral-service=http://127.0.0.1:" + referrals().port(),
                "--stillpoint.gateway.audit-service=http://127.0.0.1:" + audit().port(),
                "--stillpoint.gateway.delivery-service=http://127.0.0.1:" + delivery().port(),
                "--stillpoint.gateway.directory-service=http://127.0.0.1:" + directory().port(),
                // the console's client at the identity provider (found on the first sign-in; none here but the local one)
                "--stillpoint.console.client-secret=test-console-secret"));
        TestIssuer.shared().properties().forEach((name, value) -> defaults.add("--" + name + "=" + value));
        List<String> arguments = new ArrayList<>(TestJvm.command());
        arguments.addAll(List.of("-Xmx256m", "-jar", JAR.toString()));
        // a setting named twice on the command line would bind as both values joined: the test's own win
        arguments.addAll(ServiceBeside.overridden(defaults, settings));
        try {
            Process process = new ProcessBuilder(arguments).redirectErrorStream(true)
                                                           .redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "gateway"));
            Http gateway = new Http(port);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!ready(gateway)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway did not start; see " + log.toAbsolutePath());
                }
                Thread.sleep(200);
            }
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the gateway processes started by this JVM have logged. */
    static String gatewayLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(Path.of("target"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("gateway-\\d+\\.log")).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    private static boolean ready(Http gateway) {
        try {
            return gateway.get("/actuator/health/readiness").status() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }
}
