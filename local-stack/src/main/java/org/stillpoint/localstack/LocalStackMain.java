package org.stillpoint.localstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code LocalStackMain [--data <folder>] [--root <repository>] [--kafka-brokers 1|3] [--port-offset <n>]}: starts
 * the local stack (with a Kafka cluster of three brokers when asked; every port moved by {@code n} when asked, so that a
 * second stack runs beside the first), prints where each part is,
 * and runs until Ctrl-C, then stops everything. A part that ends by itself is started again, a bounded number of
 * times with a growing backoff, each restart said on the console.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    private static int usage() {
        System.err.println("usage: LocalStackMain [--data <folder>] [--root <repository>] [--kafka-brokers 1|3] "
                           + "[--port-offset <n>]");
        System.exit(2);
        return 0;
    }

    public static void main(String[] args) throws InterruptedException {
        Path data = Path.of(".stillpoint");
        Path root = Path.of(".");
        int kafkaBrokers = 1;
        int offset = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--root" -> root = Path.of(args[++i]);
                case "--kafka-brokers" -> kafkaBrokers = i + 1 < args.length && args[i + 1].matches("[13]")
                        ? Integer.parseInt(args[++i]) : usage();
                case "--port-offset" -> offset = i + 1 < args.length && args[i + 1].matches("\\d{1,5}")
                        && Integer.parseInt(args[i + 1]) <= 40_000 ? Integer.parseInt(args[++i]) : usage();
                default -> usage();
            }
        }
        int gatewayPort = 8080 + offset;
        String gateway = "http://127.0.0.1:" + gatewayPort;
        Map<String, String> behindTheGateway = Map.of("STILLPOINT_LOCAL_GATEWAY", gateway);
        List<LocalStack.Service> services = List.of(
                service(root, "consent-service", 8081 + offset, copyParts(behindTheGateway, offset)),
                service(root, "session-service", 8082 + offset, behindTheGateway),
                service(root, "referral-service", 8083 + offset, behindTheGateway),
                service(root, "audit-service", 8084 + offset, behindTheGateway),
                service(root, "delivery-service", 8085 + offset, behindTheGateway),
                service(root, "directory-service", 8086 + offset, behindTheGateway),
                service(root, "gateway", gatewayPort, Map.of("CONSENT_SERVICE_URI", "http://127.0.0.1:" + (8081 + offset),
                                                             "SESSION_SERVICE_URI", "http://127.0.0.1:" + (8082 + offset),
                                                             "REFERRAL_SERVICE_URI", "http://127.0.0.1:" + (8083 + offset),
                                                             "AUDIT_SERVICE_URI", "http://127.0.0.1:" + (8084 + offset),
                                                             "DELIVERY_SERVICE_URI", "http://127.0.0.1:" + (8085 + offset),
                                                             "DIRECTORY_SERVICE_URI", "http://127.0.0.1:" + (8086 + offset))));
        LocalStack stack = new LocalStack(data, LocalStack.Ports.offset(offset), services, kafkaBrokers);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Stillpoint…");
            stack.close();
            System.out.println("Stopped.");
            done.countDown();
        }, "local-stack-shutdown"));

        System.out.println("Starting Stillpoint (data in " + data.toAbsolutePath().normalize() + ")…");
        try {
            stack.start(System.out::println);
        } catch (RuntimeException e) {
            System.err.println("Stillpoint could not start: " + e.getMessage());
            System.exit(1);
        }
        System.out.printf("""

                Stillpoint is running:
                  gateway          %1$s/api/...   (the one entry point)
                  dev tokens       POST %1$s/dev/tokens
                  API documents    %1$s/swagger-ui.html
                  console          %1$s/console   (sign in as cole or cam, password stillpoint)
                  services         consent %5$d, session %6$d, referral %7$d, audit %8$d, delivery %10$d, directory %11$d (tokens needed there too)
                  Kafka            %2$s   (topics stillpoint.consent.v1, .session.v1, .referral.v1, .access.v1, .directory.v1)%3$s
                  MongoDB          %4$s
                  logs             %9$s
                Press Ctrl-C to stop everything.
                %n""", gateway, stack.kafkaBootstrapServers(),
                kafkaBrokers == 1 ? "" : "\n                                   three brokers, every topic on each, writes acknowledged by two",
                stack.mongoConnectionString(), 8081 + offset, 8082 + offset, 8083 + offset, 8084 + offset,
                stack.logs().normalize(), 8085 + offset, 8086 + offset);
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

    /** Where consent-service fetches each part of a client's copy: the other services on their local ports. */
    private static Map<String, String> copyParts(Map<String, String> environment, int offset) {
        Map<String, String> parts = new java.util.HashMap<>(environment);
        parts.put("STILLPOINT_COPIES_PARTS_SESSIONS", "http://127.0.0.1:" + (8082 + offset) + "/copies/{requestId}/sessions");
        parts.put("STILLPOINT_COPIES_PARTS_REFERRALS", "http://127.0.0.1:" + (8083 + offset)
                + "/copies/{requestId}/referrals");
        parts.put("STILLPOINT_COPIES_PARTS_ACCESSES", "http://127.0.0.1:" + (8084 + offset) + "/copies/{requestId}/accesses");
        parts.put("STILLPOINT_COPIES_PARTS_DISCLOSURES", "http://127.0.0.1:" + (8084 + offset)
                + "/copies/{requestId}/disclosures");
        return Map.copyOf(parts);
    }

    private static LocalStack.Service service(Path root, String name, int port, Map<String, String> environment) {
        return new LocalStack.Service(name, root.resolve(name + "/target/" + name + "-exec.jar"), port,
                                      "/actuator/health/readiness", environment);
    }
}
