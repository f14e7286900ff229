package org.stillpoint.consentview;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentScope;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A consent gate over histories held in memory and fed with consent events directly, always current. For aggregate
 * fixtures and other tests without a broker; the decision is the same as the Kafka-fed gate's.
 */
public final class InMemoryConsentGate implements ConsentGate {

    private final Map<String, ClientConsentHistory> histories = new ConcurrentHashMap<>();

    /** Applies a consent event of the client, as the topic would deliver it at {@code sequence}. */
    public InMemoryConsentGate given(ClientId clientId, long sequence, Object event) {
        histories.compute(clientId.toString(), (id, history) -> {
            ClientConsentHistory current = history == null ? ClientConsentHistory.unknown(id) : history;
            return current.apply(event, sequence, "event-" + id + "-" + sequence).orElse(current);
        });
        return this;
    }

    @Override
    public ConsentAssessment assess(ClientId clientId, ClinicId clinicId, Set<ConsentScope> scopes, Instant at,
                                    Long seenSequence) {
        return ConsentGate.assess(histories.get(clientId.toString()), clientId, clinicId, scopes, at);
    }
}
