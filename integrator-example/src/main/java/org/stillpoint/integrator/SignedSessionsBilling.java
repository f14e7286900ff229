package org.stillpoint.integrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Per-clinic counts of the sessions whose note was signed, for billing: an integrator's consumer that follows
 * docs/INTEGRATORS.md with nothing but {@code kafka-clients}, the CloudEvents SDK and a JOSE library.
 * <p>
 * It reads one organisation's session topic, {@code stillpoint.session.v1.<organisation>}, every partition, and keeps
 * its offsets in its own state file with the counts ({@link BillingState}), not in a consumer group: stopped at any
 * moment and started again, it counts each signed session exactly once. Each record is read with the CloudEvents SDK
 * and counted only when its signature holds for session-service's published keys; a session's records are applied in
 * their {@code ce_sequence}, which also tells a redelivery from a gap. Types it does not know are passed over, as a
 * consumer must to survive new ones.
 *
 * <pre>
 * java -cp … org.stillpoint.integrator.SignedSessionsBilling --bootstrap-servers kafka:9093 \
 *      --organisation stillwater --state billing.json \
 *      --jwks-uri 'https://stillpoint.example.org/.well-known/stillpoint/{service}/jwks.json' \
 *      [--replay] [--from 2026-11-01T00:00:00Z] [--exit-when-caught-up | --once] [--kafka security.protocol=SASL_SSL …]
 * </pre>
 * {@code --replay} forgets the state and reads from the beginning; {@code --from} starts a new state at a time
 * ({@code offsetsForTimes}); {@code --exit-when-caught-up} (or {@code --once}) stops at the end offsets found at start
 * (a billing run from cron) instead of following the topic until stopped.
 */
public final class SignedSessionsBilling {

    static final String SOURCE = "/stillpoint/session-service";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final RecordSignatures signatures;
    private volatile boolean running = true;

    SignedSessionsBilling(Options options) {
        this.options = options;
        this.signatures = new RecordSignatures(options.jwksUri());
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        new SignedSessionsBilling(options).run();
    }

    void run() throws IOException, InterruptedException {
        String topic = "stillpoint.session.v1." + options.organisation();
        if (options.replay()) {
            Files.deleteIfExists(options.state());
        }
        BillingState state = BillingState.load(options.state(), topic);
        CountDownLatch stopped = new CountDownLatch(1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running = false;
                consumer.wakeup();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    main.interrupt();
                }
            }, "billing-stop"));
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            position(consumer, partitions, state);
            Map<TopicPartition, Long> end = options.exitWhenCaughtUp() ? consumer.endOffsets(partitions) : null;
            while (running && !(end != null && caughtUp(consumer, end))) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    apply(record, state);
                    state.offsets.put(record.partition(), record.offset() + 1);
                }
                if (!records.isEmpty()) {
                    state.save(options.state());
                    System.out.println("read up to " + state.offsets + ": " + state.signedSessions);
                }
            }
            state.save(options.state());
        } finally {
            stopped.countDown();
        }
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // the offsets live in the state file, with what was counted up to them
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putAll(options.kafka());
        return properties;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic)
            throws InterruptedException {
        // an organisation's topics exist from its first record on
        while (running) {
            List<PartitionInfo> found = consumer.partitionsFor(topic);
            if (found != null && !found.isEmpty()) {
                return found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            Thread.sleep(1000);
        }
        return List.of();
    }

    /** From the state's offsets; a partition it has none for from {@code --from}, or from the beginning. */
    private void position(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, BillingState state) {
        Map<TopicPartition, Long> fromTime = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long offset = state.offsets.get(partition.partition());
            if (offset != null) {
                consumer.seek(partition, offset);
            } else if (options.from() != null) {
                fromTime.put(partition, options.from().toEpochMilli());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
        if (!fromTime.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(fromTime);
            Map<TopicPartition, Long> ends = consumer.endOffsets(fromTime.keySet());
            fromTime.keySet().forEach(partition -> consumer.seek(partition, found.get(partition) == null
                    ? ends.get(partition) : found.get(partition).offset()));
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    void apply(ConsumerRecord<String, byte[]> record, BillingState state) throws IOException, InterruptedException {
        String where = record.partition() + "@" + record.offset();
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record).toEvent();
        } catch (CloudEventRWException e) {
            state.rejected.add(where + ": not a CloudEvent (" + e.getMessage() + ")");
            return;
        }
        if (!SOURCE.equals(event.getSource().toString())) {
            state.rejected.add(where + " " + event.getId() + ": source " + event.getSource() + " does not own the topic");
            return;
        }
        String problem = signatures.problem(record, "session-service");
        if (problem != null) {
            state.rejected.add(where + " " + event.getId() + ": " + problem);
            return;
        }
        Object aggregate = event.getExtension("aggregateid");
        Object sequence = event.getExtension("sequence");
        if (aggregate == null || sequence == null || event.getData() == null) {
            state.rejected.add(where + " " + event.getId() + ": no aggregateid, sequence or data");
            return;
        }
        if (!state.advance(aggregate.toString(), Long.parseLong(sequence.toString()))) {
            return;
        }
        JsonNode data = JSON.readTree(event.getData().toBytes());
        switch (event.getType()) {
            case "stillpoint.session.recorded.v1" -> state.recorded(aggregate.toString(), data.path("clinicId").asText());
            case "stillpoint.session.note-signed.v1" -> state.signed(aggregate.toString());
            default -> {
                // revisions and amendments, and types this consumer does not know: only the sequence moves
            }
        }
    }

    /** The command line. */
    record Options(String bootstrapServers, String organisation, Path state, String jwksUri, boolean replay,
                   Instant from, boolean exitWhenCaughtUp, Map<String, String> kafka) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            Map<String, String> kafka = new HashMap<>();
            boolean replay = false;
            boolean exit = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--replay" -> replay = true;
                    case "--exit-when-caught-up", "--once" -> exit = true;
                    case "--kafka" -> {
                        String setting = value(args, ++i, "--kafka");
                        int equals = setting.indexOf('=');
                        if (equals < 1) {
                            throw new IllegalArgumentException("--kafka takes name=value, not " + setting);
                        }
                        kafka.put(setting.substring(0, equals), setting.substring(equals + 1));
                    }
                    case "--bootstrap-servers", "--organisation", "--state", "--jwks-uri", "--from" ->
                            values.put(args[i], value(args, ++i, args[i]));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            for (String required : List.of("--bootstrap-servers", "--organisation", "--state", "--jwks-uri")) {
                if (!values.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
            if (!values.get("--jwks-uri").contains("{service}")) {
                throw new IllegalArgumentException("--jwks-uri needs {service} where the service's name goes");
            }
            Instant from = values.containsKey("--from") ? Instant.parse(values.get("--from")) : null;
            return new Options(values.get("--bootstrap-servers"), values.get("--organisation"),
                               Path.of(values.get("--state")), values.get("--jwks-uri"), replay, from, exit, kafka);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }
}
