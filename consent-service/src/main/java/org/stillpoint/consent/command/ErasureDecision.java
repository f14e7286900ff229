package org.stillpoint.consent.command;

import java.time.Instant;

/**
 * What an approval came to: the client erased, or the approval refused by the retention rule (recorded as an event, so
 * the refusal is in the audit, and answered {@code 409 retention-period}).
 *
 * @param rule      the retention rule that refused it; null when erased
 * @param keptUntil when the retention period ends; null when erased
 */
public record ErasureDecision(boolean erased, String rule, Instant keptUntil) {
}
