package org.stillpoint.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.stillpoint.localstack.KafkaBrokerMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Kafka cluster of real KRaft brokers, each in a JVM of its own on loopback (every node a broker and a controller of
 * a static quorum), every topic replicated to all of them with {@code min.insync.replicas} one fewer: for tests that
 * kill brokers ({@code kill -9}) and start them again on the same ports and logs.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(90);

    private final Path dir;
    private final int[] ports;
    private final int[] controllerPorts;
    private final String voters;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Process[] processes;

    public KafkaCluster(int nodes) {
        try {
            dir = Files.createTempDirectory("stillpoint-kafka-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ports = new int[nodes];
        controllerPorts = new int[nodes];
        processes = new Process[nodes];
        List<String> quorum = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ports[i] = FreePort.any();
            controllerPorts[i] = FreePort.any();
            quorum.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
        }
        voters = String.join(",", quorum);
    }

    /** Starts every node and returns once each listens. */
    public KafkaCluster start() {
        for (int node = 1; node <= ports.length; node++) {
            launch(node);
        }
        for (int node = 1; node <= ports.length; node++) {
            awaitPort(node);
        }
        return this;
    }

    public String bootstrapServers() {
        List<String> servers = new ArrayList<>();
        for (int port : ports) {
            servers.add("127.0.0.1:" + port);
        }
        return String.join(",", servers);
    }

    /** Ends node {@code node} at once, as {@code kill -9} does. */
    public void kill(int node) {
        Process process = processes[node - 1];
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts node {@code node} again, on its ports and its log. */
    public void restart(int node) {
        launch(node);
        awaitPort(node);
    }

    /** The node that leads each partition of {@code topic}, by partition. */
    public Map<Integer, Integer> leaders(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                                               AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                                               AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                                                .get(15, TimeUnit.SECONDS).get(topic);
            return description.partitions().stream().filter(p -> p.leader() != null)
                              .collect(Collectors.toMap(p -> p.partition(), p -> p.leader().id()));
        } catch (Exception e) {
            throw new IllegalStateException("the cluster did not describe " + topic, e);
        }
    }

    /** Where node {@code node} writes its output. */
    public Path log(int node) {
        return dir.resolve("node-" + node + ".log");
    }

    @Override
    public void close() {
        for (Process process : processes) {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private void launch(int node) {
        List<String> command = new ArrayList<>(TestJvm.command());
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                               KafkaBrokerMain.class.getName(), dir.resolve("node-" + node).toString(),
                               Integer.toString(ports[node - 1]), Integer.toString(controllerPorts[node - 1]),
                               Integer.toString(node), voters, clusterId, Integer.toString(ports.length)));
        try {
            processes[node - 1] = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(node).toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPort(int node) {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes[node - 1].isAlive()) {
                throw new IllegalStateException("Kafka node " + node + " exited; see " + log(node));
            }
            try (Socket ignored = new Socket("127.0.0.1", ports[node - 1])) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("Kafka node " + node + " did not listen within " + START + "; see " + log(node));
    }
}
