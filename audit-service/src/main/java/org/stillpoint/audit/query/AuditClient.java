package org.stillpoint.audit.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.util.Comparator;
import java.util.List;

/**
 * Everything the audit knows of one client: where they belong, and every event about them from every topic, in the
 * order they happened (then recorded, then by id), one document per client.
 */
@Document(AuditClient.COLLECTION)
public record AuditClient(@Id String clientId, String organisationId, String clinicId, List<AuditEntry> entries) {

    public static final String COLLECTION = "audit_clients";

    /** The order of a timeline: by time recorded, then by id; deterministic whatever order the topics were read in. */
    public static final Comparator<AuditEntry> ORDER = Comparator.comparing(AuditEntry::recordedAt)
                                                                 .thenComparing(AuditEntry::eventId);

    public AuditClient {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
