package org.stillpoint.platform.erasure;

import org.stillpoint.contracts.consent.ClientErased;

/**
 * What one part of a service does when a client is erased (DESIGN §6b): shred its copy of the client's data key, drop
 * the client's personal data from a read model. Called once per erasure per service (by consent-service's own
 * processor, or by the consumer of the consent topic that applies the {@link ClientErased}), and again when that
 * record is redelivered: it must be idempotent. A handler that fails is retried as its record is.
 */
@FunctionalInterface
public interface ErasureHandler {

    void erase(ClientErased erased);
}
