package org.stillpoint.consent.it;

import com.mongodb.client.model.Filters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away in the middle of a burst of registrations and comes back. Every request is answered with
 * success or a retryable error that says whether anything may have been recorded — never a 500; a retry with the same
 * Idempotency-Key records nothing twice; afterwards every stored event is in the read model and on the topic, once.
 */
class MongoOutageIT extends OnBackends {

    private static final String CLIENT = """
            {"clinicId":"harbour-street","givenName":"Ada","familyName":"Quill","dateOfBirth":"1980-05-05"}
            """;

    @Test
    void everyRequestGetsSuccessOrARetryableErrorAndEveryStoredEventArrivesOnce() throws Exception {
        Http http = new Http(port).withToken(TestIssuer.shared().practitioner());
        Document last = database.getCollection("events").find().sort(new Document("_id", -1)).limit(1).first();
        long before = last == null ? -1 : ((Number) last.get("_id")).longValue();

        Map<String, Http.Response> answers = new ConcurrentHashMap<>();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        long end = System.nanoTime() + Duration.ofSeconds(11).toNanos();
        for (int c = 0; c < 4; c++) {
            callers.submit(() -> {
                while (System.nanoTime() < end) {
                    String key = UUID.randomUUID().toString();
                    answers.put(key, http.post("/api/clients", CLIENT, "Idempotency-Key", key));
                }
            });
        }
        // the burst is under way, then the store goes away until a request has met the outage and given up in it
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= 8);
        Backends.shared().stopMongo();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                   .until(() -> answers.values().stream().anyMatch(a -> a.status() == 503));
        } finally {
            Backends.shared().startMongo();
        }
        callers.shutdown();
        assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(answers).isNotEmpty();
        assertThat(answers.values()).allSatisfy(a -> assertThat(a.status()).as(a.raw().body()).isIn(201, 202, 503));
        assertThat(answers.values()).filteredOn(a -> a.status() == 503).allSatisfy(a -> {
            assertThat(a.body().get("retryable").asBoolean()).isTrue();
            assertThat(a.body().get("type").asString()).isIn("urn:stillpoint:problem:store-unavailable",
                                                               "urn:stillpoint:problem:outcome-unknown");
        });
        assertThat(answers.values()).as("some requests met the outage").anyMatch(a -> a.status() == 503);

        // retried with the same key until answered for good
        Set<String> answered = Collections.synchronizedSet(new HashSet<>());
        int unknown = 0;
        for (Map.Entry<String, Http.Response> answer : answers.entrySet()) {
            Http.Response final_ = answer.getValue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((final_.status() == 503 || (final_.status() == 409 && final_.body().get("retryable").asBoolean()))
                    && System.nanoTime() < deadline) {
                Thread.sleep(250);
                final_ = http.post("/api/clients", CLIENT, "Idempotency-Key", answer.getKey());
            }
            if (final_.status() == 409) {
                assertThat(final_.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:outcome-unknown");
                unknown++;
            } else {
                assertThat(final_.status()).as(final_.raw().body()).isIn(201, 202);
                answered.add(final_.header("Location").replaceFirst(".*/", ""));
            }
        }

        List<String> stored = database.getCollection("events").find(Filters.gt("_id", before)).into(new ArrayList<>())
                                      .stream().flatMap(d -> d.getList("events", Document.class).stream())
                                      .filter(e -> e.getString("payloadType").endsWith("ClientRegistered"))
                                      .map(e -> e.getString("aggregateId")).toList();
        assertThat(stored).doesNotHaveDuplicates().containsAll(answered);
        assertThat(stored.size() - answered.size()).as("stored but answered as unknown").isBetween(0, unknown);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String clientId : stored) {
                assertThat(http.get("/api/clients/" + clientId).status()).as(clientId).isEqualTo(200);
            }
        });
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), ConsentServiceIT.TOPIC)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
                    () -> topic.poll().stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(stored));
            // everything stored is sent on and acknowledged: a duplicate would be on the topic now
            awaitEverythingPublished(stored);
            Map<String, Long> registrations = topic.readToEnd().stream()
                    .filter(r -> "stillpoint.consent.client-registered.v1".equals(
                            CloudEventHeaders.text(r.headers(), CloudEventHeaders.TYPE)))
                    .filter(r -> stored.contains(r.key()))
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertThat(registrations).hasSize(stored.size()).allSatisfy((client, count) -> assertThat(count).isEqualTo(1));
        }
    }
}
