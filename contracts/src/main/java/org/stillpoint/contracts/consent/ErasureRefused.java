package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;

import java.time.Instant;
import java.util.UUID;

/**
 * An approval of an erasure request was refused by the organisation's retention rule: the records must be kept until
 * {@code keptUntil}. The request stays pending; an approval naming a legal override may still execute it.
 *
 * @param rule      the rule that refused it, such as {@code retention stillwater P7Y after the last consent activity}
 * @param keptUntil when the retention period ends
 */
@EventType(name = "stillpoint.consent.erasure-refused", revision = 1)
public record ErasureRefused(
        ClientId clientId,
        UUID requestId,
        String rule,
        Instant keptUntil,
        Instant refusedAt,
        Actor refusedBy) implements ClientEvent {
}
