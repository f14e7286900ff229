package org.stillpoint.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.stillpoint.localstack.EmbeddedKafkaBroker;
import org.stillpoint.localstack.EmbeddedMongoServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The infrastructure an integration test runs on, chosen by one switch: the system property
 * {@code stillpoint.backends} = {@code embedded} (default: a KRaft broker and a file-backed MongoDB-wire server in
 * this JVM) or {@code containers} (real MongoDB as a single-node replica set and Kafka, through Testcontainers).
 * Started once per test JVM and shared by every test class in it.
 */
public abstract sealed class Backends permits Backends.Embedded, Backends.Containers {

    public static final String SWITCH = "stillpoint.backends";

    private static Backends shared;

    /** The backends for this JVM, started on first use. */
    public static synchronized Backends shared() {
        if (shared == null) {
            Backends chosen = "containers".equals(mode()) ? new Containers() : new Embedded();
            chosen.start();
            Runtime.getRuntime().addShutdownHook(new Thread(chosen::shutdown, "stillpoint-test-backends"));
            shared = chosen;
        }
        return shared;
    }

    public static String mode() {
        return System.getProperty(SWITCH, "embedded");
    }

    /** Whether the chosen backends can run here: containers need a Docker engine. */
    public static boolean available() {
        return !"containers".equals(mode()) || DockerClientFactory.instance().isDockerAvailable();
    }

    /**
     * Points a service under test at the shared backends, with a database of its own: call it from the test's
     * {@code @DynamicPropertySource} method.
     */
    public static void register(DynamicPropertyRegistry registry, String database) {
        registry.add("spring.mongodb.uri", () -> shared().mongoConnectionString());
        registry.add("spring.mongodb.database", () -> database);
        registry.add("spring.kafka.bootstrap-servers", () -> shared().kafkaBootstrapServers());
    }

    public abstract String name();

    public abstract String mongoConnectionString();

    public abstract String kafkaBootstrapServers();

    /** Makes the broker unreachable while keeping its data and address, as an outage would. */
    public abstract void stopKafka();

    /** Ends an outage begun by {@link #stopKafka()}. */
    public abstract void startKafka();

    /** Makes the store unreachable while keeping its data and address, as an outage would. */
    public abstract void stopMongo();

    /** Ends an outage begun by {@link #stopMongo()}. */
    public abstract void startMongo();

    abstract void start();

    abstract void shutdown();

    static final class Embedded extends Backends {

        private EmbeddedMongoServer mongo;
        private EmbeddedKafkaBroker kafka;

        @Override
        public String name() {
            return "embedded (KRaft broker, mongo-java-server on H2)";
        }

        @Override
        void start() {
            try {
                Path dir = Files.createTempDirectory("stillpoint-it-");
                mongo = new EmbeddedMongoServer(dir.resolve("mongo/stillpoint.mv"), FreePort.any());
                mongo.start();
                kafka = new EmbeddedKafkaBroker(dir.resolve("kafka"), FreePort.any(), FreePort.any());
                kafka.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String mongoConnectionString() {
            return mongo.connectionString();
        }

        @Override
        public String kafkaBootstrapServers() {
            return kafka.bootstrapServers();
        }

        @Override
        public void stopKafka() {
            kafka.stop();
        }

        @Override
        public void startKafka() {
            kafka.start();
        }

        @Override
        public void stopMongo() {
            mongo.stop();
        }

        @Override
        public void startMongo() {
            mongo.start();
        }

        @Override
        void shutdown() {
            kafka.stop();
            mongo.stop();
        }
    }

    static final class Containers extends Backends {

        private MongoDBContainer mongo;
        private KafkaContainer kafka;

        @Override
        public String name() {
            return "containers (MongoDB replica set, Apache Kafka)";
        }

        @Override
        void start() {
            mongo = new MongoDBContainer("mongo:8.0").withReplicaSet();
            kafka = new KafkaContainer("apache/kafka:4.1.1");
            mongo.start();
            kafka.start();
        }

        @Override
        public String mongoConnectionString() {
            return mongo.getReplicaSetUrl().replaceFirst("/test$", "/");
        }

        @Override
        public String kafkaBootstrapServers() {
            return kafka.getBootstrapServers();
        }

        @Override
        public void stopKafka() {
            paused(kafka.getContainerId(), true);
        }

        @Override
        public void startKafka() {
            paused(kafka.getContainerId(), false);
        }

        @Override
        public void stopMongo() {
            paused(mongo.getContainerId(), true);
        }

        @Override
        public void startMongo() {
            paused(mongo.getContainerId(), false);
        }

        /** A paused container keeps its ports and state, as a broker or database that stops answering. */
        private static void paused(String containerId, boolean paused) {
            var docker = DockerClientFactory.instance().client();
            if (paused) {
                docker.pauseContainerCmd(containerId).exec();
            } else {
                docker.unpauseContainerCmd(containerId).exec();
            }
        }

        @Override
        void shutdown() {
            kafka.stop();
            mongo.stop();
        }
    }
}
