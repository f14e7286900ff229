package org.stillpoint.audit.ledger;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.verifier.MerkleTree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Merkle tree over each organisation's links ({@link MerkleTree}, RFC 9162's shape), kept beside the chain: the
 * hash of every complete subtree is a document of {@value #NODES} ({@code <organisation>/<level>/<index>}), built up to
 * a size when a checkpoint is signed, a page of links at a time (never the whole chain in memory). A tree head of any
 * size and an inclusion path of any link are then a handful of point lookups, so an export proves a client's links with
 * about log2(n) hashes each, however large the organisation's history.
 */
public class LedgerTree {

    static final String NODES = "ledger_tree";
    /** How many leaves of each organisation's tree are built: {@code {_id: organisation, size}}. */
    static final String BUILT = "ledger_tree_built";
    private static final int LOOKUP_CHUNK = 1_000;

    private final MongoTemplate mongo;

    public LedgerTree(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    static String nodeId(String organisationId, int level, long index) {
        return organisationId + "/" + level + "/" + index;
    }

    /**
     * The head of the organisation's tree of its first {@code size} links, building what is missing first. Fails when a
     * link below {@code size} is missing: such a chain is not vouched for.
     */
    public String head(String organisationId, long size) {
        build(organisationId, size);
        Map<String, String> nodes = lookup(needed(organisationId, List.of(), size, true));
        return hashOf(organisationId, 0, size, nodes);
    }

    /** Each link's inclusion path in the tree of {@code size} leaves (built before, by a checkpoint), by index. */
    public Map<Long, List<String>> paths(String organisationId, Collection<Long> indexes, long size) {
        Map<String, String> nodes = lookup(needed(organisationId, indexes, size, false));
        Map<Long, List<String>> paths = new HashMap<>();
        for (long index : indexes) {
            List<String> path = new ArrayList<>();
            path(organisationId, index, 0, size, nodes, path);
            paths.put(index, path);
        }
        return paths;
    }

    /** Builds the nodes of the leaves from the last built to {@code size}, a page of links at a time. */
    void build(String organisationId, long size) {
        Document state = mongo.findById(organisationId, Document.class, BUILT);
        long built = state == null ? 0 : ((Number) state.get("size")).longValue();
        if (built >= size) {
            return;
        }
        // the complete subtrees still waiting for their right sibling: one per set bit of the number built
        String[] frontier = new String[64];
        Set<String> waiting = new LinkedHashSet<>();
        for (int level = 0; level < 63; level++) {
            if (((built >> level) & 1) == 1) {
                waiting.add(nodeId(organisationId, level, (built >> level) - 1));
            }
        }
        Map<String, String> known = lookup(waiting);
        for (int level = 0; level < 63; level++) {
            if (((built >> level) & 1) == 1) {
                frontier[level] = require(known, nodeId(organisationId, level, (built >> level) - 1));
            }
        }
        for (long from = built; from < size; from += LedgerEntry.PAGE) {
            long to = Math.min(from + LedgerEntry.PAGE, size);
            Map<Long, LedgerEntry> links = LedgerEntry.range(mongo, organisationId, from, to);
            List<Document> nodes = new ArrayList<>();
            for (long i = from; i < to; i++) {
                LedgerEntry link = links.get(i);
                if (link == null) {
                    throw new IllegalStateException("link " + i + " of " + organisationId + " is missing: no tree over it");
                }
                String hash = MerkleTree.leaf(link.hash());
                nodes.add(node(organisationId, 0, i, hash));
                long index = i;
                int level = 0;
                while ((index & 1) == 1) {
                    hash = MerkleTree.node(frontier[level], hash);
                    frontier[level] = null;
                    index >>= 1;
                    level++;
                    nodes.add(node(organisationId, level, index, hash));
                }
                frontier[level] = hash;
            }
            insert(nodes);
            mongo.upsert(Query.query(Criteria.where("_id").is(organisationId)), new Update().max("size", to), BUILT);
        }
    }

    private static Document node(String organisationId, int level, long index, String hash) {
        return new Document("_id", nodeId(organisationId, level, index)).append("hash", hash);
    }

    /** Nodes are the same whoever computes them: another instance's copy of one is as good. */
    private void insert(List<Document> nodes) {
        try {
            mongo.getCollection(NODES).insertMany(nodes, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (e.getWriteErrors().stream().anyMatch(w -> ErrorCategory.fromErrorCode(w.getCode())
                    != ErrorCategory.DUPLICATE_KEY)) {
                throw e;
            }
        }
    }

    /** The ids of the stored nodes a head ({@code head}) or the paths of {@code indexes} read. */
    private static Set<String> needed(String organisationId, Collection<Long> indexes, long size, boolean head) {
        Set<String> ids = new LinkedHashSet<>();
        if (head) {
            hashIds(organisationId, 0, size, ids);
        }
        for (long index : indexes) {
            pathIds(organisationId, index, 0, size, ids);
        }
        return ids;
    }

    private static void pathIds(String organisationId, long m, long from, long to, Set<String> ids) {
        long n = to - from;
        if (n <= 1) {
            return;
        }
        long k = MerkleTree.split(n);
        if (m - from < k) {
            pathIds(organisationId, m, from, from + k, ids);
            hashIds(organisationId, from + k, to, ids);
        } else {
            pathIds(organisationId, m, from + k, to, ids);
            hashIds(organisationId, from, from + k, ids);
        }
    }

    private static void hashIds(String organisationId, long from, long to, Set<String> ids) {
        long n = to - from;
        if (Long.bitCount(n) == 1) {
            ids.add(nodeId(organisationId, Long.numberOfTrailingZeros(n), from / n));
            return;
        }
        long k = MerkleTree.split(n);
        hashIds(organisationId, from, from + k, ids);
        hashIds(organisationId, from + k, to, ids);
    }

    /** RFC 9162's PATH(m, D[from:to]), from stored nodes. */
    private static void path(String organisationId, long m, long from, long to, Map<String, String> nodes,
                             List<String> path) {
        long n = to - from;
        if (n <= 1) {
            return;
        }
        long k = MerkleTree.split(n);
        if (m - from < k) {
            path(organisationId, m, from, from + k, nodes, path);
            path.add(hashOf(organisationId, from + k, to, nodes));
        } else {
            path(organisationId, m, from + k, to, nodes, path);
            path.add(hashOf(organisationId, from, from + k, nodes));
        }
    }

    /** RFC 9162's MTH(D[from:to]): a stored node when the range is a complete subtree, else its two halves. */
    private static String hashOf(String organisationId, long from, long to, Map<String, String> nodes) {
        long n = to - from;
        if (Long.bitCount(n) == 1) {
            return require(nodes, nodeId(organisationId, Long.numberOfTrailingZeros(n), from / n));
        }
        long k = MerkleTree.split(n);
        return MerkleTree.node(hashOf(organisationId, from, from + k, nodes), hashOf(organisationId, from + k, to, nodes));
    }

    private static String require(Map<String, String> nodes, String id) {
        String hash = nodes.get(id);
        if (hash == null) {
            throw new IllegalStateException("the ledger's tree lacks node " + id + ": it is built by a checkpoint");
        }
        return hash;
    }

    /** The stored nodes of {@code ids}, by point lookups ({@code _id $in}), a thousand at a time. */
    private Map<String, String> lookup(Collection<String> ids) {
        Map<String, String> nodes = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += LOOKUP_CHUNK) {
            for (Document node : mongo.find(Query.query(Criteria.where("_id").in(all.subList(i, Math.min(i + LOOKUP_CHUNK,
                    all.size())))), Document.class, NODES)) {
                nodes.put(node.getString("_id"), node.getString("hash"));
            }
        }
        return nodes;
    }
}
