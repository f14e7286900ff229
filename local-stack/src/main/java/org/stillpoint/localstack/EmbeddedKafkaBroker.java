package org.stillpoint.localstack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * A real Apache Kafka broker in KRaft mode (broker and controller in one process), on 127.0.0.1 at fixed ports, keeping
 * its log under one folder so that a restart finds the same topics and offsets: a single node, or one node of a
 * cluster whose controllers are a static quorum ({@link Cluster}), with every topic replicated to all of them.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /**
     * This node's place in a cluster of several.
     *
     * @param nodeId    1, 2, 3 …
     * @param voters    every controller, {@code 1@127.0.0.1:port,2@…}
     * @param clusterId the id every node's log is formatted with
     * @param replicas  how many copies of every topic (the default replication factor); {@code min.insync.replicas}
     *                  is one fewer, at least 1
     */
    public record Cluster(int nodeId, String voters, String clusterId, int replicas) {
    }

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Cluster cluster;
    private KafkaRaftServer server;

    public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, null);
    }

    /** @param cluster this node's place in a cluster; null for a single node */
    public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, Cluster cluster) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.cluster = cluster;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Properties properties = properties();
            Path propertiesFile = dataDir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(propertiesFile)) {
                properties.store(out, "Stillpoint embedded Kafka broker");
            }
            if (!Files.exists(logDir().resolve("meta.properties"))) {
                format(propertiesFile);
            }
            KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            started.startup();
            server = started;
            awaitPort(Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new IllegalStateException("could not start the Kafka broker in " + dataDir, e);
        }
    }

    /** Stops the broker; its log stays, and {@link #start()} brings it back on the same ports. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
    }

    private Path logDir() {
        return dataDir.resolve("log");
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", cluster == null ? "1" : Integer.toString(cluster.nodeId()));
        if (cluster == null) {
            p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        } else {
            p.setProperty("controller.quorum.voters", cluster.voters());
        }
        int replicas = cluster == null ? 1 : cluster.replicas();
        String minInSync = Integer.toString(Math.max(1, replicas - 1));
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir().toAbsolutePath().toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("default.replication.factor", Integer.toString(replicas));
        p.setProperty("min.insync.replicas", minInSync);
        p.setProperty("unclean.leader.election.enable", "false");
        p.setProperty("offsets.topic.replication.factor", Integer.toString(replicas));
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", Integer.toString(replicas));
        p.setProperty("transaction.state.log.min.isr", minInSync);
        p.setProperty("share.coordinator.state.topic.replication.factor", Integer.toString(replicas));
        p.setProperty("share.coordinator.state.topic.min.isr", minInSync);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("log.flush.interval.messages", "1");
        p.setProperty("log.retention.hours", "-1");
        p.setProperty("log.retention.bytes", "-1");
        return p;
    }

    private void format(Path propertiesFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(cluster == null
                    ? new String[]{"format", "--cluster-id", Uuid.randomUuid().toString(),
                                   "--config", propertiesFile.toString(), "--standalone", "--ignore-formatted"}
                    : new String[]{"format", "--cluster-id", cluster.clusterId(),
                                   "--config", propertiesFile.toString(), "--ignore-formatted"}, out);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka log failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new IllegalStateException("the Kafka broker did not open port " + port + " within " + timeout);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }
}
