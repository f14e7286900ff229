package org.stillpoint.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.List;

/**
 * What the audit keeps from the events besides the timeline and the ledger, each in its own collection and read by
 * organisation: the emergency reviews, the acts whose consent stood differently, the notices owed after an erasure,
 * the copies owed. Each is applied, after the entry, to every event of a client the audit reads (again on a rebuild),
 * and changes nothing a second time.
 */
public interface EventView {

    /**
     * @param event  the event, as its contract type (null for a type the audit does not know)
     * @param entry  what it became on the client's timeline
     * @param client where the client is placed, the event counted
     */
    void apply(Object event, AuditEntry entry, AuditClient client);

    /** Every view the audit keeps, over {@code mongo}. */
    static List<EventView> all(MongoTemplate mongo, ObjectMapper json) {
        return List.of(new EmergencyReviews(mongo), new ConsentDivergences(mongo, json), new ErasureNotices(mongo, json),
                       new CopyRequests(mongo));
    }
}
