package org.stillpoint.platform.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.stillpoint.platform.deadletter.Quarantine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's Kafka consumers: {@code UP} when nothing is parked and every group is within the lag warning on every
 * topic; {@link #DEGRADED} (still answering {@code 200}, and not part of readiness: the service works for every other
 * client) when a record is parked or a group lags beyond the warning; {@code DOWN} when the broker cannot say.
 */
public class ConsumersHealth extends AbstractHealthIndicator {

    /** Working, but something needs an operator. */
    public static final Status DEGRADED = new Status("DEGRADED", "a consumer has parked records or lags behind");

    private final Quarantine quarantine;
    private final ConsumerLag lag;
    private final long lagWarning;

    public ConsumersHealth(Quarantine quarantine, ConsumerLag lag, long lagWarning) {
        super("the consumers' state is unknown");
        this.quarantine = quarantine;
        this.lag = lag;
        this.lagWarning = lagWarning;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean degraded = false;
        Map<String, Long> open = quarantine.openCounts();
        Map<String, Long> unauthenticated = quarantine.unauthenticatedCounts();
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Long> group : open.entrySet()) {
            Map<String, Long> behind = lag.of(group.getKey());
            boolean lagging = behind.values().stream().anyMatch(n -> n > lagWarning);
            long refused = unauthenticated.getOrDefault(group.getKey(), 0L);
            degraded |= lagging || group.getValue() > 0 || refused > 0;
            groups.put(group.getKey(), Map.of("deadLetters", group.getValue(), "unauthenticatedRecords", refused,
                                              "lag", behind, "lagging", lagging));
        }
        builder.status(degraded ? DEGRADED : Status.UP).withDetail("groups", groups)
               .withDetail("lagWarning", lagWarning);
    }
}
