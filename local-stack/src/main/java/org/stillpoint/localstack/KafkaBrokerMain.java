package org.stillpoint.localstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Kafka broker as a process of its own: {@code KafkaBrokerMain <data folder> <port> <controller port>}.
 * It stops cleanly on SIGINT or SIGTERM and keeps its log for the next start.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: KafkaBrokerMain <data folder> <port> <controller port>");
            System.exit(2);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]),
                                                             Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "kafka-broker-shutdown"));
        broker.start();
        System.out.println("Kafka broker ready on " + broker.bootstrapServers());
        stopped.await();
    }
}
