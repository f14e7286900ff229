package org.stillpoint.consent.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker goes away mid-stream while commands keep coming. Nothing is lost or doubled: once it is back, every stored
 * event is on the topic exactly once, and each client's events are in their order.
 */
class KafkaOutageIT extends OnBackends {

    @Autowired
    KafkaEventPublisher publisher;

    @Test
    void everyEventArrivesExactlyOnceAndInOrderPerClientAcrossABrokerOutage() {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        List<String> clients = new ArrayList<>();
        Map<String, String> consents = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            String clientId = Clients.register(http, "Kit" + i, "Lowe", "1975-06-0" + (i + 1));
            clients.add(clientId);
            consents.put(clientId, Clients.grant(http, clientId,
                                                 "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\",\"INFORMATION_SHARING\"]",
                                                 null));
        }
        try (TopicReader before = new TopicReader(Backends.shared().kafkaBootstrapServers(), ConsentServiceIT.TOPIC)) {
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> clients.stream().allMatch(c -> before.keyed(c).size() == 2));
        }

        long failedBefore = publisher.failedBatches();
        Backends.shared().stopKafka();
        try {
            for (String clientId : clients) {
                withdraw(http, clientId, consents.get(clientId), "SOMATOEMOTIONAL_RELEASE");
            }
            for (String clientId : clients) {
                Clients.grant(http, clientId, "[\"SOMATOEMOTIONAL_RELEASE\"]", null);
                withdraw(http, clientId, consents.get(clientId), "INFORMATION_SHARING");
            }
            clients.add(Clients.register(http, "Nell", "Hart", "1968-02-29"));
            // the outage lasts until publishing has failed, so the retry path is what delivers these events
            await().atMost(Duration.ofSeconds(60)).until(() -> publisher.failedBatches() > failedBefore);
            // the segment holds its batch and says so: the processors are degraded, with the time the wait began
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode processors = new Http(port).withToken(TestIssuer.shared().operator()).get("/actuator/health")
                                                    .body().get("components").get("processors");
                assertThat(processors.get("status").asString()).isEqualTo("DEGRADED");
                assertThat(processors.get("details").get("publicationWaitingForBrokerSince").asString()).isNotBlank();
            });
        } finally {
            Backends.shared().startKafka();
        }

        Map<String, List<String>> storedIds = new HashMap<>();
        for (String clientId : clients) {
            storedIds.put(clientId, database.getCollection("events")
                                            .find(new Document("streamKeys", new Document("$regex", "^" + clientId + "/")))
                                            .sort(new Document("_id", 1)).into(new ArrayList<>()).stream()
                                            .flatMap(d -> d.getList("events", Document.class).stream())
                                            .map(e -> e.getString("eventId")).toList());
        }
        assertThat(storedIds.values().stream().mapToInt(List::size).sum()).isEqualTo(4 * 5 + 1);

        try (TopicReader after = new TopicReader(Backends.shared().kafkaBootstrapServers(), ConsentServiceIT.TOPIC)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(
                    () -> clients.stream().allMatch(c -> after.keyed(c).size() >= storedIds.get(c).size()));
            // everything stored is sent on and acknowledged: a duplicate would be on the topic now
            awaitEverythingPublished(clients);
            assertThat(publisher.holdingSince()).as("no batch held once the broker is back").isNull();
            after.readToEnd();
            for (String clientId : clients) {
                List<ConsumerRecord<String, byte[]>> records = after.keyed(clientId);
                assertThat(records).extracting(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID))
                                   .as("events of client %s on the topic", clientId)
                                   .containsExactlyElementsOf(storedIds.get(clientId));
                assertThat(records).extracting(r -> Long.parseLong(CloudEventHeaders.text(r.headers(), CloudEventHeaders.SEQUENCE)))
                                   .containsExactlyElementsOf(LongStream.range(0, records.size()).boxed()
                                                                        .collect(Collectors.toList()));
            }
        }
    }

    private static void withdraw(Http http, String clientId, String consentId, String scope) {
        Http.Response response = http.post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals",
                                           "{\"scopes\":[\"" + scope + "\"]}");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
    }
}
