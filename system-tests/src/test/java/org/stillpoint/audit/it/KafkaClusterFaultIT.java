package org.stillpoint.audit.it;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.stillpoint.audit.AuditServiceApplication;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.KafkaCluster;
import org.stillpoint.testsupport.ServiceProcess;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka cluster, for real: three KRaft brokers in three JVMs on loopback, every topic with three replicas and
 * {@code min.insync.replicas} 2, consent-service and audit-service as processes with their production producer settings
 * (idempotent, {@code acks=all}). Mid-burst the leader of the consent topic's first partition is killed, then a second
 * broker: every registration answered {@code 201} is on the consent topic exactly once after deduplication by event id,
 * in consent-service's read model and in the audit, once the brokers are back; no answer is a lie (no {@code 500}, and
 * nothing answered as stored is missing afterwards).
 */
@UsesBackends
class KafkaClusterFaultIT {

    private static final String TOPIC = "stillpoint.consent.v1";
    private static final String REGISTRATION = "stillpoint.consent.client-registered.v1";

    @Test
    void killingThePartitionLeaderAndThenASecondBrokerMidBurstLosesAndDoublesNothing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCluster kafka = new KafkaCluster(3).start()) {
            String[] onTheCluster = {"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                     "--stillpoint.publication.replicas=3",
                                     "--stillpoint.publication.min-insync-replicas=2"};
            try (ServiceProcess consent = new ServiceProcess(ConsentServiceApplication.class, "cluster-consent-" + run,
                                                             onTheCluster);
                 ServiceProcess audit = new ServiceProcess(AuditServiceApplication.class, "cluster-audit-" + run,
                                                           onTheCluster)) {
                startTogether(consent, audit);
                Http http = consent.http().withToken(TestIssuer.shared().practitioner());
                List<String> answered = Collections.synchronizedList(new ArrayList<>());
                List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService callers = Executors.newFixedThreadPool(2);
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    running.add(callers.submit(() -> {
                        while (!stop.get()) {
                            Http.Response response = http.post("/api/clients", """
                                    {"clinicId":"harbour-street","givenName":"Noa","familyName":"Lund","dateOfBirth":"1981-07-07"}
                                    """);
                            statuses.add(response.status());
                            if (response.status() == 201) {
                                answered.add(response.body().get("clientId").asString());
                            }
                        }
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= 30);
                int leader = kafka.leaders(TOPIC).get(0);
                kafka.kill(leader);
                int countAtFirstKill = answered.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= countAtFirstKill + 30);
                int second = leader % 3 + 1;
                kafka.kill(second);
                int countAtSecondKill = answered.size();
                // one broker of three: under min.insync.replicas nothing is acknowledged; the writes go on being stored
                await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= countAtSecondKill + 20);
                stop.set(true);
                for (Future<?> caller : running) {
                    caller.get(30, TimeUnit.SECONDS);
                }
                callers.shutdown();
                assertThat(statuses).as("stored (201), or a retryable refusal; never a failure or a lie")
                                    .allMatch(s -> s == 201 || s == 503);

                kafka.restart(second);
                kafka.restart(leader);
                Set<String> expected = new HashSet<>(answered);
                Map<String, Set<String>> registrations = new HashMap<>();
                Map<String, Integer> copies = new HashMap<>();
                try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
                    List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                            .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            if (REGISTRATION.equals(CloudEventHeaders.text(record.headers(), CloudEventHeaders.TYPE))) {
                                String id = CloudEventHeaders.text(record.headers(), CloudEventHeaders.ID);
                                registrations.computeIfAbsent(record.key(), k -> new HashSet<>()).add(id);
                                copies.merge(id, 1, Integer::sum);
                            }
                        }
                        return registrations.keySet().containsAll(expected);
                    });
                }
                assertThat(expected).allSatisfy(client -> assertThat(registrations.get(client))
                        .as("one registration of " + client + " after deduplication by event id").hasSize(1));
                Http officer = audit.http().withToken(TestIssuer.shared().complianceOfficer());
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (String client : expected) {
                        assertThat(officer.get("/api/audit/clients/" + client + "/timeline").status())
                                .as("the audit has " + client).isEqualTo(200);
                    }
                });
                for (String client : expected) {
                    assertThat(http.get("/api/clients/" + client).status()).as("in the read model").isEqualTo(200);
                }
                assertThat(officer.get("/api/audit/ledger/verification").body().get("valid").asBoolean()).isTrue();
            }
        }
    }

    private static void startTogether(ServiceProcess... services) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(services.length);
        try {
            List<Future<ServiceProcess>> started = new ArrayList<>();
            for (ServiceProcess service : services) {
                started.add(starting.submit(service::start));
            }
            for (Future<ServiceProcess> service : started) {
                service.get(180, TimeUnit.SECONDS);
            }
        } finally {
            starting.shutdown();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaCluster kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                                          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                                          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                                          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }
}
