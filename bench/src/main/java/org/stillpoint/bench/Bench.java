package org.stillpoint.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.stillpoint.localstack.EmbeddedKafkaBroker;
import org.stillpoint.localstack.EmbeddedMongoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code Bench [--scale full|smoke] [--out <folder>]}: measures every path against its raw baseline on the embedded
 * backends and writes {@code benchmarks.md} and {@code benchmarks.json} into the folder (default {@code docs}).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        Scale scale = Scale.FULL;
        Set<String> only = Set.of();
        Path out = Path.of("docs");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Scale.named(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: Bench [--scale full|smoke] [--out <folder>] [--only storage,kafka,service]");
                    System.exit(2);
                }
            }
        }
        String command = "./bench.sh" + (scale == Scale.FULL ? "" : " --scale " + scale.name())
                + (only.isEmpty() ? "" : " --only " + String.join(",", new java.util.TreeSet<>(only)));
        try {
            List<Row> rows = run(scale, out, command, only);
            for (Row row : rows) {
                System.out.printf(Locale.ROOT, "%-8s ratio %6.2f (%.2f–%.2f)  path %,.1f %s, baseline %,.1f %s%n",
                                  row.id(), row.ratio(), row.ratioMin(), row.ratioMax(), row.pathMedian(), row.unit(),
                                  row.baselineMedian(), row.unit());
            }
            System.out.println("written: " + out.resolve("benchmarks.md") + ", " + out.resolve("benchmarks.json"));
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        // done: the services the bench started in this JVM leave threads that are not daemons (the token issuer's JDK
        // HTTP server dispatcher, Kafka clients reconnecting to the stopped broker), so the bench ends itself
        System.exit(0);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs every benchmark at {@code scale} and writes the report into {@code out}. */
    public static List<Row> run(Scale scale, Path out, String command) {
        return run(scale, out, command, Set.of());
    }

    /**
     * As {@link #run(Scale, Path, String)}, only the named groups ({@code storage}: B1, B3, B6, B7; {@code kafka}: B4,
     * B5; {@code service}: B2 and the rows that need the services) when {@code only} is not empty.
     */
    public static List<Row> run(Scale scale, Path out, String command, Set<String> only) {
        long start = System.currentTimeMillis();
        Path data;
        try {
            data = Files.createTempDirectory("stillpoint-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Row> rows = new ArrayList<>();
        try (EmbeddedMongoServer mongo = new EmbeddedMongoServer(data.resolve("mongo/bench.mv"), 0);
             EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(data.resolve("kafka"), freePort(), freePort())) {
            mongo.start();
            kafka.start();
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                if (only.isEmpty() || only.contains("storage")) {
                    rows.addAll(new StorageBench(client, scale).run());
                }
                if (only.isEmpty() || only.contains("kafka")) {
                    rows.addAll(new KafkaBench(kafka.bootstrapServers(), client, scale).run());
                }
                if (only.isEmpty() || only.contains("service")) {
                    List<Row> service = new ServiceBench(mongo.connectionString(), kafka.bootstrapServers(), client,
                                                         scale).run();
                    rows.addAll(service);
                    double peak = service.stream().filter(r -> r.id().equals("B2-new")).findFirst().orElseThrow()
                                         .pathMedian();
                    rows.addAll(new LagBench(mongo.connectionString(), kafka.bootstrapServers(), client, scale,
                                             peak / 2).run());
                }
            }
        }
        Report.write(out, command, scale.name(), rows, System.currentTimeMillis() - start);
        return rows;
    }
}
