package org.stillpoint.audit.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.List;

/**
 * One event about a client, as the audit sees it, one document each (indexed by client and time): what happened, when
 * it happened and when it was recorded, who did it and where, the consents it relied on, and the event itself as
 * published (sensitive fields still sealed).
 *
 * @param eventId     the event's id, the document's: an event is on a timeline once
 * @param kind        {@code consent}, {@code session}, {@code referral} or {@code access}
 * @param occurredAt  when it happened (a session's start, a consent's grant, a read's moment)
 * @param recordedAt  when it was stored by its service ({@code ce_time})
 * @param subject     the aggregate it concerns (consent, session, referral id), if any
 * @param consents    the consents it relied on: {@code consentId v<version>: scopes}
 * @param outcome     for an access: {@code ALLOWED} or {@code DENIED}
 * @param payload     the event's JSON as published
 */
@Document(AuditEntry.COLLECTION)
@CompoundIndex(name = "timeline", def = "{'clientId': 1, 'recordedAt': 1, '_id': 1}")
@CompoundIndex(name = "by-kind", def = "{'clientId': 1, 'kind': 1, 'recordedAt': 1, '_id': 1}")
@CompoundIndex(name = "by-actor", def = "{'actor': 1, 'occurredAt': 1}")
public record AuditEntry(@Id String eventId, String clientId, String type, String kind, String service,
                         Instant occurredAt, Instant recordedAt, String actor, String clinicId, String subject,
                         List<String> consents, String summary, String outcome, String payload) {

    public static final String COLLECTION = "audit_entries";

    public AuditEntry {
        consents = consents == null ? List.of() : List.copyOf(consents);
    }
}
