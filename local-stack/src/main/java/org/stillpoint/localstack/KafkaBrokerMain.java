package org.stillpoint.localstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Kafka broker as a process of its own: {@code KafkaBrokerMain <data folder> <port> <controller port>}
 * for a single node, or with {@code <node id> <voters> <cluster id> <replicas>} after them for one node of a cluster
 * ({@link EmbeddedKafkaBroker.Cluster}). It stops cleanly on SIGINT or SIGTERM and keeps its log for the next start.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3 && args.length != 7) {
            System.err.println("usage: KafkaBrokerMain <data folder> <port> <controller port> "
                                       + "[<node id> <voters> <cluster id> <replicas>]");
            System.exit(2);
        }
        EmbeddedKafkaBroker.Cluster cluster = args.length == 3 ? null : new EmbeddedKafkaBroker.Cluster(
                Integer.parseInt(args[3]), args[4], args[5], Integer.parseInt(args[6]));
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]),
                                                             Integer.parseInt(args[2]), cluster);
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
