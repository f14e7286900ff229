package org.stillpoint.audit.ledger;

import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an export carries for a verifier to check offline (ledger-verifier): the organisation's links from the first of
 * the client's events to the signed checkpoint — every link's index, previous hash, event hash and hash, and for the
 * client's own events the exact headers and value the event hash covers (other clients' events only by their hashes) —
 * and the checkpoint itself.
 */
public final class LedgerProof {

    private LedgerProof() {
    }

    /** The proof of {@code eventIds} in the organisation's chain, up to {@code checkpoint} (or the head without one). */
    public static Map<String, Object> of(MongoTemplate mongo, String organisationId, Collection<String> eventIds,
                                         Checkpoint checkpoint) {
        Set<String> own = new HashSet<>(eventIds);
        long first = Long.MAX_VALUE;
        for (Document id : mongo.find(Query.query(Criteria.where("_id").in(own)), Document.class, LedgerEntry.IDS)) {
            if (organisationId.equals(id.getString("organisationId")) && id.get("index") != null) {
                first = Math.min(first, ((Number) id.get("index")).longValue());
            }
        }
        long last = checkpoint != null ? checkpoint.index()
                : mongo.count(Query.query(Criteria.where("organisationId").is(organisationId)), LedgerEntry.class) - 1;
        List<Map<String, Object>> links = new ArrayList<>();
        for (long index = first == Long.MAX_VALUE ? last + 1 : first; index <= last; index += LedgerEntry.PAGE) {
            long end = Math.min(index + LedgerEntry.PAGE, last + 1);
            Map<Long, LedgerEntry> page = LedgerEntry.range(mongo, organisationId, index, end);
            for (long i = index; i < end; i++) {
                LedgerEntry entry = page.get(i);
                if (entry == null) {
                    // a hole: the export says so by leaving it out, and the verifier names it
                    continue;
                }
                Map<String, Object> link = new LinkedHashMap<>();
                link.put("index", entry.index());
                link.put("previousHash", entry.previousHash());
                link.put("eventHash", entry.eventHash());
                link.put("hash", entry.hash());
                if (own.contains(entry.eventId())) {
                    link.put("eventId", entry.eventId());
                    link.put("headers", entry.headers());
                    link.put("value", entry.value());
                }
                links.add(link);
            }
        }
        Map<String, Object> proof = new LinkedHashMap<>();
        proof.put("organisationId", organisationId);
        proof.put("links", links);
        if (checkpoint != null) {
            Map<String, Object> signed = new LinkedHashMap<>();
            signed.put("index", checkpoint.index());
            signed.put("hash", checkpoint.hash());
            signed.put("at", checkpoint.at().toString());
            signed.put("jws", checkpoint.jws());
            proof.put("checkpoint", signed);
        }
        return proof;
    }
}
