package org.stillpoint.audit.ledger;

import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an export carries for a verifier to check offline (ledger-verifier): the latest signed checkpoint of the
 * organisation's ledger that has a Merkle tree head, and each of the client's links below it — index, event id, the
 * exact headers and value its event hash covers, the hash's encoding, previous hash, link hash — with its inclusion path
 * in the signed tree. Its size grows with the client's history (about log2(n) hashes a link), not the organisation's;
 * it is read by point lookups, never by walking the chain. The client's events after the checkpoint are named in
 * {@code after}: the export's own signature vouches for them until the next checkpoint.
 */
public final class LedgerProof {

    private LedgerProof() {
    }

    /** The proof of {@code eventIds} in the organisation's ledger against {@code checkpoint} (none: every event after). */
    public static Map<String, Object> of(MongoTemplate mongo, LedgerTree tree, String organisationId,
                                         Collection<String> eventIds, Checkpoint checkpoint) {
        Set<String> own = new HashSet<>(eventIds);
        long size = checkpoint == null || checkpoint.treeSize() == null ? 0 : checkpoint.treeSize();
        List<String> linkIds = new ArrayList<>();
        for (Document id : mongo.find(Query.query(Criteria.where("_id").in(own)), Document.class, LedgerEntry.IDS)) {
            if (organisationId.equals(id.getString("organisationId")) && id.get("index") != null
                    && ((Number) id.get("index")).longValue() < size) {
                linkIds.add(LedgerEntry.idOf(organisationId, ((Number) id.get("index")).longValue()));
            }
        }
        List<LedgerEntry> entries = new ArrayList<>(mongo.find(Query.query(Criteria.where("_id").in(linkIds)),
                                                               LedgerEntry.class));
        entries.sort(Comparator.comparingLong(LedgerEntry::index));
        Map<Long, List<String>> paths = tree.paths(organisationId, entries.stream().map(LedgerEntry::index).toList(),
                                                   size);
        List<Map<String, Object>> links = new ArrayList<>();
        Set<String> proved = new HashSet<>();
        for (LedgerEntry entry : entries) {
            Map<String, Object> link = link(entry);
            link.put("path", paths.get(entry.index()));
            links.add(link);
            proved.add(entry.eventId());
        }
        Map<String, Object> proof = new LinkedHashMap<>();
        proof.put("organisationId", organisationId);
        if (checkpoint != null && checkpoint.treeHead() != null) {
            Map<String, Object> signed = new LinkedHashMap<>();
            signed.put("index", checkpoint.index());
            signed.put("hash", checkpoint.hash());
            signed.put("treeSize", checkpoint.treeSize());
            signed.put("treeHead", checkpoint.treeHead());
            signed.put("at", checkpoint.at().toString());
            signed.put("jws", checkpoint.jws());
            proof.put("checkpoint", signed);
        }
        proof.put("links", links);
        proof.put("after", eventIds.stream().filter(id -> !proved.contains(id)).distinct().toList());
        return proof;
    }

    /**
     * A link as an export carries it for a verifier: index, event id, the exact headers and value its event hash
     * covers, the hash's encoding, previous hash, link hash.
     */
    public static Map<String, Object> link(LedgerEntry entry) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("index", entry.index());
        link.put("eventId", entry.eventId());
        link.put("hashVersion", entry.version());
        link.put("headers", entry.headers());
        link.put("value", entry.value());
        link.put("eventHash", entry.eventHash());
        link.put("previousHash", entry.previousHash());
        link.put("hash", entry.hash());
        return link;
    }
}
