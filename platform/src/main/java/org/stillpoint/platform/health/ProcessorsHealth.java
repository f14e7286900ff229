package org.stillpoint.platform.health;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.stillpoint.platform.deadletter.ProjectionDeadLetters;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The service's event processors (publication and projections): {@link ConsumersHealth#DEGRADED} while a segment is
 * in error (it retries with backoff), the publisher holds a batch for a broker that is away, or a projection holds
 * dead letters; {@code UP} otherwise.
 */
public class ProcessorsHealth extends AbstractHealthIndicator {

    private final EventProcessingConfiguration processing;
    private final ProjectionDeadLetters deadLetters;
    private final Supplier<Instant> publicationHeldSince;

    /** @param publicationHeldSince since when the publisher holds a batch the broker does not take; null: it does not */
    public ProcessorsHealth(EventProcessingConfiguration processing, ProjectionDeadLetters deadLetters,
                            Supplier<Instant> publicationHeldSince) {
        super("the event processors' state is unknown");
        this.processing = processing;
        this.deadLetters = deadLetters;
        this.publicationHeldSince = publicationHeldSince;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean degraded = false;
        Map<String, Object> processors = new LinkedHashMap<>();
        for (StreamingEventProcessor processor : processing.eventProcessors().values().stream()
                                                           .filter(StreamingEventProcessor.class::isInstance)
                                                           .map(StreamingEventProcessor.class::cast).toList()) {
            long failing = processor.processingStatus().values().stream().filter(s -> s.isErrorState()).count();
            degraded |= failing > 0 || processor.isError();
            processors.put(processor.getName(), Map.of("running", processor.isRunning(), "segments",
                                                       processor.processingStatus().size(), "segmentsInError", failing));
        }
        long parked = deadLetters.size();
        Instant held = publicationHeldSince.get();
        builder.status(degraded || held != null || parked > 0 ? ConsumersHealth.DEGRADED : Status.UP)
               .withDetail("processors", processors).withDetail("deadLetters", parked);
        if (held != null) {
            builder.withDetail("publicationWaitingForBrokerSince", held.toString());
        }
    }
}
