package org.stillpoint.contracts.access;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;

import java.time.Instant;

/**
 * An operator retried or dropped a record that a consumer had parked (DESIGN §3): an audited act, on the access topic.
 * It names the record by where it was read and never carries its content.
 *
 * @param clientId    the client the record was about (its key); null when its key was not a client id
 * @param service     the service whose consumer had parked it
 * @param group       the consumer group
 * @param deadLetterId the letter, {@code group:topic:partition:offset}
 * @param topic       where the record was read: a topic, or {@code event store} for a projection's dead letter
 * @param partition   its topic partition; null for a projection's dead letter
 * @param offset      its offset in the partition; null for a projection's dead letter
 * @param recordType  the record's {@code ce_type} as it arrived; null when it had none
 * @param parkedFor   why it had been parked ({@code unreadable}, {@code key-mismatch}, {@code failed}, ...)
 * @param action      {@code RETRIED} or {@code DROPPED}
 * @param outcome     {@code APPLIED}, {@code DROPPED}, or {@code PARKED} when the retry failed again
 * @param reason      the operator's written reason; required when dropping
 */
@EventType(name = "stillpoint.access.dead-letter-handled", revision = 1)
public record DeadLetterHandled(
        ClientId clientId,
        String service,
        String group,
        String deadLetterId,
        String topic,
        Integer partition,
        Long offset,
        String recordType,
        String parkedFor,
        String action,
        String outcome,
        String reason,
        Actor operator,
        Instant at) implements ClientEvent {
}
