package org.stillpoint.platform.deadletter;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.stillpoint.contracts.ClientEvent;

/**
 * Event processors keep each client's events in order, and a dead letter holds that client: the sequence of an event
 * is its client id (the Kafka key as well); an event of no client falls back to its aggregate.
 */
public final class ClientSequencing implements SequencingPolicy<EventMessage<?>> {

    private static final SequentialPerAggregatePolicy FALLBACK = SequentialPerAggregatePolicy.instance();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        if (event.getPayload() instanceof ClientEvent client && client.clientId() != null) {
            return client.clientId().toString();
        }
        return FALLBACK.getSequenceIdentifierFor(event);
    }
}
