package org.stillpoint.consent.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.stillpoint.testsupport.OnSharedBackends;

/** consent-service as it runs, over the shared backends (embedded or containers). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stillpoint.consent.expiry-check-interval=500ms",
                      // a send to an unreachable broker fails within seconds, so an outage test sees failed batches
                      "spring.kafka.producer.properties.delivery.timeout.ms=3000",
                      "spring.kafka.producer.properties.request.timeout.ms=1000",
                      "spring.kafka.producer.properties.max.block.ms=2000"})
public abstract class OnBackends extends OnSharedBackends {
}
