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
 * @param position    its place in the client's timeline, from 0, in the order the audit received the client's events
 * @param slot        {@code <clientId>#<position>}: unique, so that a page of the timeline is read by its slots, point
 *                    lookups on both backends, however deep the page ({@link TimelineSlots})
 * @param kindSlot    {@code <clientId>#<kind>#<n>}: the same within the client's entries of this kind
 */
@Document(AuditEntry.COLLECTION)
@CompoundIndex(name = "timeline", def = "{'clientId': 1, 'recordedAt': 1, '_id': 1}")
@CompoundIndex(name = "slot", def = "{'slot': 1}", unique = true, sparse = true)
@CompoundIndex(name = "kind-slot", def = "{'kindSlot': 1}", unique = true, sparse = true)
@CompoundIndex(name = "by-actor", def = "{'actor': 1, 'occurredAt': 1}")
public record AuditEntry(@Id String eventId, String clientId, String type, String kind, String service,
                         Instant occurredAt, Instant recordedAt, String actor, String clinicId, String subject,
                         List<String> consents, String summary, String outcome, String payload, Long position,
                         String slot, String kindSlot) {

    public static final String COLLECTION = "audit_entries";

    public AuditEntry {
        consents = consents == null ? List.of() : List.copyOf(consents);
    }

    /** An entry not yet given its place in the timeline. */
    public AuditEntry(String eventId, String clientId, String type, String kind, String service, Instant occurredAt,
                      Instant recordedAt, String actor, String clinicId, String subject, List<String> consents,
                      String summary, String outcome, String payload) {
        this(eventId, clientId, type, kind, service, occurredAt, recordedAt, actor, clinicId, subject, consents, summary,
             outcome, payload, null, null, null);
    }

    /** This entry at {@code position} of its client's timeline and {@code kindPosition} of its kind's. */
    public AuditEntry placed(long position, long kindPosition) {
        return new AuditEntry(eventId, clientId, type, kind, service, occurredAt, recordedAt, actor, clinicId, subject,
                              consents, summary, outcome, payload, position, TimelineSlots.slot(clientId, position),
                              TimelineSlots.kindSlot(clientId, kind, kindPosition));
    }

    /** Its place within its kind, from {@link #kindSlot}; -1 when it has none yet. */
    public long kindPosition() {
        return kindSlot == null ? -1 : Long.parseLong(kindSlot.substring(kindSlot.lastIndexOf('#') + 1));
    }
}
