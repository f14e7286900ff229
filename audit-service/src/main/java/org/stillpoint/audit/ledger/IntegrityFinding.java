package org.stillpoint.audit.ledger;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;

/**
 * Something the topics delivered that must not happen: a hole in an aggregate's sequence, or an event id or sequence
 * number seen again with different content. Recorded, reported, never silently ignored.
 *
 * @param kind {@code sequence-gap}, {@code duplicate-sequence} or {@code duplicate-id}
 */
@Document(IntegrityFinding.COLLECTION)
public record IntegrityFinding(@Id String id, String kind, String organisationId, String aggregateId, String clientId,
                               String eventId, long expectedSequence, long sequence, String detail, Instant foundAt) {

    public static final String COLLECTION = "integrity_findings";
}
