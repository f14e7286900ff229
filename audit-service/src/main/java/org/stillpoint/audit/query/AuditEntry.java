package org.stillpoint.audit.query;

import java.time.Instant;
import java.util.List;

/**
 * One event about a client, as the audit sees it: what happened, when it happened and when it was recorded, who did
 * it and where, the consents it relied on, and the event itself as published (sensitive fields still sealed).
 *
 * @param kind        {@code consent}, {@code session}, {@code referral} or {@code access}
 * @param occurredAt  when it happened (a session's start, a consent's grant, a read's moment)
 * @param recordedAt  when it was stored by its service ({@code ce_time})
 * @param subject     the aggregate it concerns (consent, session, referral id), if any
 * @param consents    the consents it relied on: {@code consentId v<version>: scopes}
 * @param outcome     for an access: {@code ALLOWED} or {@code DENIED}
 * @param payload     the event's JSON as published
 */
public record AuditEntry(String eventId, String type, String kind, String service, Instant occurredAt,
                         Instant recordedAt, String actor, String clinicId, String subject, List<String> consents,
                         String summary, String outcome, String payload) {

    public AuditEntry {
        consents = consents == null ? List.of() : List.copyOf(consents);
    }
}
