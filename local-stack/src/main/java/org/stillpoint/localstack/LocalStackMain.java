package org.stillpoint.localstack;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code LocalStackMain [--data <folder>] [--root <repository>] [--kafka-brokers 1|3]}: starts the local stack (with a
 * Kafka cluster of three brokers when asked), prints where each part is,
 * and runs until Ctrl-C, then stops everything. A part that ends by itself is started again, a bounded number of
 * times with a growing backoff, each restart said on the console.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    private static int usage() {
        System.err.println("usage: LocalStackMain [--data <folder>] [--root <repository>] [--kafka-brokers 1|3]");
        System.exit(2);
        return 0;
    }

    public static void main(String[] args) throws InterruptedException {
        Path data = Path.of(".stillpoint");
        Path root = Path.of(".");
        int kafkaBrokers = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--root" -> root = Path.of(args[++i]);
                case "--kafka-brokers" -> kafkaBrokers = i + 1 < args.length && args[i + 1].matches("[13]")
                        ? Integer.parseInt(args[++i]) : usage();
                default -> usage();
            }
        }
        List<LocalStack.Service> services = List.of(
                new LocalStack.Service("consent-service", root.resolve("consent-service/target/consent-service-exec.jar"),
                                       8081, "/actuator/health/readiness"),
                new LocalStack.Service("session-service", root.resolve("session-service/target/session-service-exec.jar"),
                                       8082, "/actuator/health/readiness"),
                new LocalStack.Service("referral-service", root.resolve("referral-service/target/referral-service-exec.jar"),
                                       8083, "/actuator/health/readiness"),
                new LocalStack.Service("audit-service", root.resolve("audit-service/target/audit-service-exec.jar"),
                                       8084, "/actuator/health/readiness"),
                new LocalStack.Service("gateway", root.resolve("gateway/target/gateway-exec.jar"),
                                       8080, "/actuator/health/readiness"));
        LocalStack stack = new LocalStack(data, LocalStack.Ports.DEFAULT, services, kafkaBrokers);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Stillpoint…");
            stack.close();
            System.out.println("Stopped.");
            done.countDown();
        }, "local-stack-shutdown"));

        System.out.println("Starting Stillpoint (data in " + data.toAbsolutePath().normalize() + ")…");
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("Stillpoint could not start: " + e.getMessage());
            System.exit(1);
        }
        System.out.printf("""

                Stillpoint is running:
                  gateway          http://127.0.0.1:8080/api/...   (the one entry point)
                  dev tokens       POST http://127.0.0.1:8080/dev/tokens
                  API documents    http://127.0.0.1:8080/swagger-ui.html
                  console          http://127.0.0.1:8080/console   (sign in as cole or cam, password stillpoint)
                  services         consent 8081, session 8082, referral 8083, audit 8084 (tokens needed there too)
                  Kafka            %s   (topics stillpoint.consent.v1, .session.v1, .referral.v1, .access.v1)%s
                  MongoDB          %s
                  logs             %s
                Press Ctrl-C to stop everything.
                %n""", stack.kafkaBootstrapServers(),
                kafkaBrokers == 1 ? "" : "\n                                   three brokers, every topic on each, writes acknowledged by two",
                stack.mongoConnectionString(), stack.logs().normalize());
        while (done.getCount() > 0) {
            try {
                stack.supervise().forEach(System.err::println);
            } catch (IllegalStateException e) {
                if (done.getCount() > 0) {
                    System.err.println(e.getMessage() + " Stopping Stillpoint.");
                    System.exit(1);
                }
            }
            Thread.sleep(1000);
        }
    }
}
