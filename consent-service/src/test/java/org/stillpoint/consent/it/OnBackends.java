package org.stillpoint.consent.it;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.publication.KafkaEventPublisher;
import org.stillpoint.testsupport.OnSharedBackends;
import org.stillpoint.testsupport.StoredEvents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** consent-service as it runs, over the shared backends (embedded or containers). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stillpoint.consent.expiry-check-interval=500ms",
                      // a send to an unreachable broker fails within seconds, so an outage test sees failed batches
                      "spring.kafka.producer.properties.delivery.timeout.ms=3000",
                      "spring.kafka.producer.properties.request.timeout.ms=1000",
                      "spring.kafka.producer.properties.max.block.ms=2000"})
public abstract class OnBackends extends OnSharedBackends {

    @Autowired
    ProcessingProgress progress;

    /**
     * Waits until the publisher of whichever instance holds each client's segment ({@code others}: the instances
     * besides this one) has sent on every event stored so far of {@code clients} and had each send acknowledged:
     * after it, a topic read to its end holds all that will ever be published of them, duplicates included. (Handled,
     * not reached: a gap below the client's last event — another test's failed reservation — is not the client's.)
     */
    void awaitEverythingPublished(Collection<String> clients, ProcessingProgress... others) {
        List<ProcessingProgress> instances = new ArrayList<>(List.of(others));
        instances.addFirst(progress);
        Map<String, Long> last = StoredEvents.lastPositionsOf(database, clients);
        await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
               .until(() -> last.entrySet().stream().allMatch(client -> instances.stream().anyMatch(
                       instance -> instance.hasHandled(KafkaEventPublisher.PROCESSING_GROUP, client.getValue(),
                                                       client.getKey()))));
    }
}
