package org.stillpoint.audit.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.Comparator;

/**
 * Where one client belongs, as the audit has read it (their registration, or an access to them), and when they were
 * erased; their entries are documents of their own ({@link AuditEntry}), so a busy client's record grows by documents,
 * never toward the 16 MB limit of one.
 *
 * @param timeline the head of their timeline: how many entries it has, of each kind, by whom, the last one's time
 *                 (null until their first entry)
 */
@Document(AuditClient.COLLECTION)
public record AuditClient(@Id String clientId, String organisationId, String clinicId, Instant erasedAt,
                          TimelineHead timeline) {

    public static final String COLLECTION = "audit_clients";

    /** The order of a timeline: by time recorded, then by id; deterministic whatever order the topics were read in. */
    public static final Comparator<AuditEntry> ORDER = Comparator.comparing(AuditEntry::recordedAt)
                                                                 .thenComparing(AuditEntry::eventId);
}
