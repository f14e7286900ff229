package org.stillpoint.audit.ingest;

import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;

import java.util.Date;
import java.util.List;

/**
 * Moves the timelines an earlier version kept inside each client's document ({@code audit_clients.entries}) into
 * documents of their own ({@code audit_entries}), once, at start-up: each entry keeps its fields and becomes a document
 * whose id is its event id (one already there is left as it is), the client's erasure time is read from their
 * erasure entry, and the array is removed. A start interrupted half-way moves the rest at the next start.
 */
final class LegacyTimelines {

    private static final String ERASED = "stillpoint.consent.client-erased";

    private LegacyTimelines() {
    }

    /** @return how many clients' timelines were moved */
    static int move(MongoTemplate mongo) {
        Query legacy = Query.query(Criteria.where("entries").exists(true));
        int moved = 0;
        for (Document client : mongo.find(legacy, Document.class, AuditClient.COLLECTION)) {
            String clientId = client.getString("_id");
            Date erasedAt = null;
            for (Document kept : client.getList("entries", Document.class, List.of())) {
                Document entry = new Document(kept);
                entry.put("_id", entry.remove("eventId"));
                entry.put("clientId", clientId);
                if (String.valueOf(entry.get("type")).startsWith(ERASED)) {
                    erasedAt = entry.getDate("occurredAt");
                }
                try {
                    mongo.insert(entry, AuditEntry.COLLECTION);
                } catch (DuplicateKeyException alreadyMoved) {
                    // a start before this one moved it
                }
            }
            mongo.updateFirst(Query.query(Criteria.where("_id").is(clientId)),
                              new Update().unset("entries").set("erasedAt", erasedAt), AuditClient.COLLECTION);
            moved++;
        }
        return moved;
    }
}
