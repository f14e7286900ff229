package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;

import java.time.Instant;
import java.util.UUID;

/** A pending erasure request was withdrawn by a clinic administrator of the client's clinic; nothing was erased. */
@EventType(name = "stillpoint.consent.erasure-request-withdrawn", revision = 1)
public record ErasureRequestWithdrawn(
        ClientId clientId,
        UUID requestId,
        Instant withdrawnAt,
        Actor withdrawnBy) implements ClientEvent {
}
