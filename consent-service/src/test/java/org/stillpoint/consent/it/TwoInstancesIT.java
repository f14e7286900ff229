package org.stillpoint.consent.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.TopicReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second instance of consent-service on the same store and broker holds none of the projection's segments (the
 * first claimed them), yet answers every write as the first does — created, read back at once — because it waits on
 * the shared token store, not on segments it does not hold; and every event is published once.
 */
class TwoInstancesIT extends OnBackends {

    private static ConfigurableApplicationContext second;

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void anInstanceThatHoldsNoSegmentAnswersWritesAndReadsThemBack() {
        second = ServiceBeside.start(ConsentServiceApplication.class, Backends.shared().mongoConnectionString(), DATABASE,
                                     Backends.shared().kafkaBootstrapServers());
        Http first = new Http(port).withToken(TestIssuer.shared().practitioner());
        Http other = new Http(Integer.parseInt(second.getEnvironment().getProperty("local.server.port")))
                .withToken(TestIssuer.shared().practitioner());
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Http on = i % 2 == 0 ? other : first;
            Http.Response created = on.post("/api/clients", """
                    {"clinicId":"harbour-street","givenName":"Noor","familyName":"Vale","dateOfBirth":"1991-01-01"}
                    """);
            assertThat(created.status()).as("shown, not only stored: " + created.raw().body()).isEqualTo(201);
            String clientId = created.body().get("clientId").asString();
            assertThat(created.body().get("sequence").asLong()).isZero();
            clients.add(clientId);
            Http.Response granted = on.post("/api/clients/" + clientId + "/consents", """
                    {"scopes":["CRANIOSACRAL_THERAPY"],"form":%s,"method":"WRITTEN"}
                    """.formatted(Clients.FORM));
            assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
            assertThat(granted.body().get("sequence").asLong()).isEqualTo(1);
            assertThat((i % 2 == 0 ? first : other).get("/api/clients/" + clientId).status()).isEqualTo(200);
        }
        try (TopicReader topic = new TopicReader(Backends.shared().kafkaBootstrapServers(), ConsentServiceIT.TOPIC)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(c -> topic.keyed(c).size() >= 2));
            // everything stored is sent on and acknowledged: a duplicate would be on the topic now
            awaitEverythingPublished(clients, second.getBean(ProcessingProgress.class));
            topic.readToEnd();
            for (String clientId : clients) {
                Map<String, Long> ids = topic.keyed(clientId).stream().collect(Collectors.groupingBy(
                        (ConsumerRecord<String, byte[]> r) -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID),
                        Collectors.counting()));
                assertThat(ids).hasSize(2).allSatisfy((id, count) -> assertThat(count).as("published once").isEqualTo(1));
            }
        }
    }
}
