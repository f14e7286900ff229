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
import java.util.Map;
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
        int portOffset = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Scale.named(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--port-offset" -> portOffset = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: Bench [--scale full|smoke] [--out <folder>] [--only storage,kafka,service,stack]"
                                               + " [--port-offset <n>]");
                    System.exit(2);
                }
            }
        }
        if (!GROUPS.containsAll(only)) {
            System.err.println("--only takes groups of " + String.join(",", GROUPS) + ", not " + String.join(",", only));
            System.exit(2);
        }
        String command = "./bench.sh" + (scale == Scale.FULL ? "" : " --scale " + scale.name())
                + (only.isEmpty() ? "" : " --only " + String.join(",", new java.util.TreeSet<>(only)));
        try {
            List<Row> rows = run(scale, out, command, only, portOffset);
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
        return run(scale, out, command, Set.of(), 0);
    }

    /** The groups of rows, in the order they run, each for {@code --only}. */
    static final List<String> GROUPS = List.of("storage", "kafka", "service", "stack");

    /** The ids of the rows a run measures, in each group: for the progress lines and their estimate. */
    static List<String> planned(Scale scale, Set<String> only) {
        List<String> ids = new ArrayList<>();
        if (only.isEmpty() || only.contains("storage")) {
            ids.addAll(List.of("B1", "B1x", "B10-B1", "B13"));
            for (int size : scale.aggregateSizes()) {
                ids.addAll(List.of("B3-" + size, "B3-" + size + "s"));
            }
            ids.addAll(List.of("B7", "T1", "B10-B7", "B12", "B12-deep"));
        }
        if (only.isEmpty() || only.contains("kafka")) {
            ids.addAll(List.of("B4", "B5-consume", "B5-upsert", "B5", "B8-consume", "B8-insert", "B8"));
        }
        if (only.isEmpty() || only.contains("service")) {
            ids.addAll(List.of("B2-new", "B2-existing", "B2-32", "B7-full", "B10-B2", "B11", "B14", "B6"));
        }
        if (only.isEmpty() || only.contains("stack")) {
            ids.addAll(List.of("M1", "M2", "M3"));
        }
        return ids;
    }

    /**
     * As {@link #run(Scale, Path, String)}, only the named groups ({@link #GROUPS}: {@code storage}: B1, B3, B7, B12,
     * B13, T1; {@code kafka}: B4, B5, B8; {@code service}: B2 and the rows that need the services; {@code stack}: the
     * local stack's memory) when {@code only} is not empty.
     */
    public static List<Row> run(Scale scale, Path out, String command, Set<String> only, int portOffset) {
        long start = System.currentTimeMillis();
        Path data;
        try {
            data = Files.createTempDirectory("stillpoint-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Previous previous = Previous.in(out);
        List<String> planned = planned(scale, only);
        Progress progress = new Progress(planned, scale.name().equals(previous.scale()) ? previous.seconds() : Map.of(),
                                         System.out);
        System.out.printf(Locale.ROOT, "%d rows at scale %s%s%n", planned.size(), scale.name(),
                          previous.seconds().isEmpty() || !scale.name().equals(previous.scale()) ? ""
                                  : ", about " + Progress.clock(planned.stream().mapToDouble(
                                          id -> previous.seconds().getOrDefault(id, 0.0)).sum()) + " as last time");
        Rounds rounds = new Rounds(scale.rounds(), progress);
        List<Row> rows = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        try (EmbeddedMongoServer mongo = new EmbeddedMongoServer(data.resolve("mongo/bench.mv"), 0);
             EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(data.resolve("kafka"), freePort(), freePort())) {
            mongo.start();
            kafka.start();
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                if (only.isEmpty() || only.contains("storage")) {
                    rows.addAll(new StorageBench(client, scale, rounds).run());
                }
                if (only.isEmpty() || only.contains("kafka")) {
                    rows.addAll(new KafkaBench(kafka.bootstrapServers(), mongo.connectionString(), client, scale, rounds).run());
                }
                if (only.isEmpty() || only.contains("service")) {
                    ServiceBench services = new ServiceBench(mongo.connectionString(), kafka.bootstrapServers(), client,
                                                             scale, rounds);
                    List<Row> service = services.run();
                    rows.addAll(service);
                    sections.add(services.stagesSection());
                    double peak = service.stream().filter(r -> r.id().equals("B2-new")).findFirst().orElseThrow()
                                         .pathMedian();
                    rows.addAll(new LagBench(mongo.connectionString(), kafka.bootstrapServers(), client, scale, rounds,
                                             peak / 2).run());
                }
            }
        }
        if (only.isEmpty() || only.contains("stack")) {
            // after the embedded backends above are gone: the stack has the machine to itself
            StackBench stack = new StackBench(StackBench.repository(), scale, rounds, portOffset);
            rows.addAll(stack.run());
            sections.add(stack.section());
        }
        Report.write(out, command, scale.name(), rows, System.currentTimeMillis() - start, progress.seconds(), previous,
                     sections);
        return rows;
    }
}
