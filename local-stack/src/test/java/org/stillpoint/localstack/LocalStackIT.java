package org.stillpoint.localstack;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stack's backends start as real processes, stop cleanly, and find their data again after a restart. */
class LocalStackIT {

    @TempDir
    Path data;

    @Test
    void dataSurvivesAStopAndAStart() throws Exception {
        LocalStack.Ports ports = new LocalStack.Ports(freePort(), freePort(), freePort());
        try (LocalStack stack = new LocalStack(data, ports, List.of())) {
            List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
            stack.start(said::add);
            assertThat(said).as("a line for each part as it comes up")
                            .satisfiesExactly(store -> assertThat(store).contains("store", stack.mongoConnectionString(),
                                                                                  "unique indexes only"),
                                              kafka -> assertThat(kafka).contains("kafka", "ready ("));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>("stack-check", "k", "kept across restarts")).get();
            }
            try (MongoClient mongo = MongoClients.create(stack.mongoConnectionString())) {
                mongo.getDatabase("stack").getCollection("check").insertOne(new Document("_id", "kept"));
            }
        }
        assertThat(free(ports.kafka())).as("broker port released").isTrue();
        assertThat(free(ports.mongo())).as("store port released").isTrue();
        assertThat(Files.readString(data.resolve("logs/kafka.log"))).contains("Kafka broker ready");

        try (LocalStack again = new LocalStack(data, ports, List.of())) {
            again.start();
            try (MongoClient mongo = MongoClients.create(again.mongoConnectionString())) {
                assertThat(mongo.getDatabase("stack").getCollection("check").countDocuments(new Document("_id", "kept")))
                        .isEqualTo(1);
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.kafkaBootstrapServers(),
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                List<TopicPartition> partitions = consumer.partitionsFor("stack-check", Duration.ofSeconds(30)).stream()
                                                          .map(p -> new TopicPartition("stack-check", p.partition()))
                                                          .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        values.add(record.value());
                    }
                }
                assertThat(values).containsExactly("kept across restarts");
            }
        }
    }

    @Test
    void aPartThatIsKilledIsStartedAgainAndTheOthersKeepRunning() throws Exception {
        LocalStack.Service echo = new LocalStack.Service("echo-service", echoJar(), freePort(), "/ready");
        try (LocalStack stack = new LocalStack(data, new LocalStack.Ports(freePort(), freePort(), freePort()),
                                               List.of(echo))) {
            stack.start();
            assertThat(stack.supervise()).isEmpty();
            ProcessHandle first = stack.process("echo-service").orElseThrow();
            long broker = stack.process("kafka").orElseThrow().pid();
            first.destroyForcibly();
            first.onExit().get(10, TimeUnit.SECONDS);

            List<String> restarted = stack.supervise();
            assertThat(restarted).singleElement().asString().contains("echo-service had ended", "attempt 1 of 5");
            assertThat(stack.process("echo-service").orElseThrow().pid()).isNotEqualTo(first.pid());
            assertThat(stack.process("echo-service").orElseThrow().isAlive()).isTrue();
            assertThat(stack.process("kafka").orElseThrow().pid()).as("the broker was left alone").isEqualTo(broker);
            assertThat(accepts(echo.port())).isTrue();
        }
    }

    /** A runnable jar of {@link EchoService}, over this module's test classes. */
    private Path echoJar() throws IOException {
        Path jar = data.resolve("echo.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EchoService.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                                         EchoService.class.getProtectionDomain().getCodeSource().getLocation().toString());
        Files.createDirectories(data);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every port of the stack listens on loopback only: the broker, its controller and the store answer on 127.0.0.1
     * and refuse a connection to this machine's other addresses; every service and the gateway bind 127.0.0.1 in the
     * local profile the stack runs them in.
     */
    @Test
    void everyPortListensOnLoopbackOnly() throws Exception {
        for (String part : List.of("gateway", "consent-service", "session-service", "referral-service", "audit-service",
                                    "delivery-service")) {
            String local = Files.readString(Path.of("..", part, "src/main/resources/application-local.yml"));
            assertThat(local).as(part + " in the local profile").containsPattern("(?m)^  address: 127\\.0\\.0\\.1$");
        }
        java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (IOException e) { return false; } })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no address but loopback");
        LocalStack.Ports ports = new LocalStack.Ports(freePort(), freePort(), freePort());
        try (LocalStack stack = new LocalStack(data, ports, List.of())) {
            stack.start();
            for (int port : new int[]{ports.kafka(), ports.kafkaController(), ports.mongo()}) {
                assertThat(accepts(port)).as(port + " on 127.0.0.1").isTrue();
                assertThatThrownBy(() -> new Socket(other, port).close()).as(port + " on " + other.getHostAddress())
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void refusesToStartOnAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            LocalStack.Ports ports = new LocalStack.Ports(taken.getLocalPort(), freePort(), freePort());
            try (LocalStack stack = new LocalStack(data, ports, List.of())) {
                assertThatThrownBy(stack::start).hasMessageContaining("ports in use: " + taken.getLocalPort() + " (Kafka)");
            }
        }
    }

    @Test
    void refusesToStartAServiceThatIsNotBuilt() throws Exception {
        LocalStack.Service missing = new LocalStack.Service("absent-service", data.resolve("absent.jar"), freePort(), "/");
        try (LocalStack stack = new LocalStack(data, new LocalStack.Ports(freePort(), freePort(), freePort()),
                                               List.of(missing))) {
            assertThatThrownBy(stack::start).hasMessageContaining("absent-service is not built");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
