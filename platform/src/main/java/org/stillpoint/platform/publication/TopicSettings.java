package org.stillpoint.platform.publication;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Creates, at start-up, the topics the service publishes to when they are missing, and checks that existing ones are as
 * it needs them: the partitions its keys are
 * spread over, at least the replication and {@code min.insync.replicas} its durability rests on, and the retention of a
 * history (the event topics are kept forever). A topic that differs stops the start (or, in the local profile, is
 * logged) with every difference named; a broker that cannot be asked is logged, and the service starts — it publishes
 * once the broker is back.
 * <p>
 * It never changes an existing topic. It runs before the processors and the web server start.
 */
public class TopicSettings implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopicSettings.class);

    /** What the service needs of one topic. */
    public record Wanted(String topic, int partitions, int replicas, int minInsyncReplicas, long retentionMs) {
    }

    private final Admin admin;
    private final Collection<Wanted> wanted;
    private final boolean strict;
    private final Duration timeout;
    private volatile boolean running;

    /** @param strict whether a difference stops the start (everywhere but the local profile) */
    public TopicSettings(Admin admin, Collection<Wanted> wanted, boolean strict, Duration timeout) {
        this.admin = admin;
        this.wanted = List.copyOf(wanted);
        this.strict = strict;
        this.timeout = timeout;
    }

    /** Creates the wanted topics that do not exist yet, with the wanted settings; another creator winning is fine. */
    public void createMissing() throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<NewTopic> missing = wanted.stream().filter(w -> !existing.contains(w.topic())).distinct()
                .map(w -> new NewTopic(w.topic(), w.partitions(), (short) w.replicas()).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(w.retentionMs()),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(w.minInsyncReplicas()))))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created topics {}", missing.stream().map(NewTopic::name).collect(Collectors.joining(", ")));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Every difference between the topics as they are and as they are wanted; empty when they match. */
    public List<String> differences() throws ExecutionException, InterruptedException, TimeoutException {
        List<String> topics = wanted.stream().map(Wanted::topic).distinct().toList();
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                                                       .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                                                   .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<String> differences = new ArrayList<>();
        for (Wanted want : wanted.stream().distinct().toList()) {
            TopicDescription topic = described.get(want.topic());
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, want.topic()));
            int partitions = topic.partitions().size();
            int replicas = topic.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
            if (partitions != want.partitions()) {
                differences.add(want.topic() + " has " + partitions + " partitions, stillpoint.publication.partitions is "
                                        + want.partitions());
            }
            if (replicas < want.replicas()) {
                differences.add(want.topic() + " has " + replicas + " replicas, stillpoint.publication.replicas is "
                                        + want.replicas());
            }
            int minInsync = intValue(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, 1);
            if (minInsync < want.minInsyncReplicas()) {
                differences.add(want.topic() + " has min.insync.replicas " + minInsync
                                        + ", stillpoint.publication.min-insync-replicas is " + want.minInsyncReplicas());
            }
            long retention = longValue(config, TopicConfig.RETENTION_MS_CONFIG, 604_800_000L);
            if (retention != want.retentionMs()) {
                differences.add(want.topic() + " has retention.ms " + retention
                                        + ", stillpoint.publication.retention-ms is " + want.retentionMs());
            }
        }
        return differences;
    }

    @Override
    public void start() {
        running = true;
        List<String> differences;
        try {
            createMissing();
            differences = differences();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not check the settings of topics {} ({}); publishing waits for the broker",
                     wanted.stream().map(Wanted::topic).collect(Collectors.joining(", ")), e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (differences.isEmpty()) {
            log.info("Topics {} are as this service needs them",
                     wanted.stream().map(Wanted::topic).collect(Collectors.joining(", ")));
        } else if (strict) {
            throw new IllegalStateException("The topics are not as this service needs them: "
                                                    + String.join("; ", differences)
                                                    + ". Fix the topics (deploy/k8s/base/topics.yaml) or the settings.");
        } else {
            log.warn("The topics are not as this service needs them: {}", String.join("; ", differences));
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }

    private static int intValue(Config config, String name, int otherwise) {
        return (int) longValue(config, name, otherwise);
    }

    private static long longValue(Config config, String name, long otherwise) {
        ConfigEntry entry = config == null ? null : config.get(name);
        if (entry == null || entry.value() == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(entry.value());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
