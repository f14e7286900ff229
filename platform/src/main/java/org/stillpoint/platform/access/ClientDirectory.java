package org.stillpoint.platform.access;

import org.stillpoint.contracts.ClientId;

import java.util.Optional;

/**
 * Where each client belongs, as this service knows it: consent-service from its own records, the others from their
 * view of the consent topic (kept current the way consent decisions are).
 */
public interface ClientDirectory {

    /** The client's placement; empty when no such client is registered. */
    Optional<ClientPlacement> find(ClientId clientId);

    /**
     * As {@link #find(ClientId)}, from a view that has read at least the client's consent sequence {@code seenSequence}
     * the caller was answered with (null: none), so a client registered a moment ago is not taken for unknown.
     */
    default Optional<ClientPlacement> find(ClientId clientId, Long seenSequence) {
        return find(clientId);
    }

    /**
     * The client's placement as this service has it now, without waiting for a view to catch up: for what never
     * changes once a client is registered, such as their organisation.
     */
    default Optional<ClientPlacement> known(ClientId clientId) {
        return find(clientId);
    }
}
