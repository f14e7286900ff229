package org.stillpoint.platform.deadletter;

import java.time.Instant;

/**
 * What an operator did to a dead letter, as it is recorded for the audit: which letter (where its record was read, never
 * its content) and what came of it.
 *
 * @param key       the client the letter holds (the record's key)
 * @param topic     where the record was read: a topic, or {@code event store} for a projection's letter
 * @param partition the topic partition; null for a projection's letter
 * @param offset    the record's offset; null for a projection's letter
 * @param parkedFor why it had been parked
 * @param action    {@code RETRIED} or {@code DROPPED}
 * @param outcome   {@code APPLIED}, {@code DROPPED} or {@code PARKED} (the retry failed again)
 * @param reason    the operator's written reason; required to drop
 */
public record OperatorAct(String operator, String action, String outcome, String reason, String letterId, String group,
                          String key, String topic, Integer partition, Long offset, String recordType,
                          String parkedFor, Instant at) {

    /** An act on a consumer's letter. */
    static OperatorAct on(DeadLetter letter, String operator, String action, String outcome, String reason, Instant at) {
        return new OperatorAct(operator, action, outcome, reason, letter.id(), letter.group(), letter.key(),
                               letter.topic(), letter.partition(), letter.offset(), letter.headers().get("ce_type"),
                               letter.reason(), at);
    }
}
