package org.stillpoint.audit.ledger;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * One link of an organisation's tamper-evident ledger: the event exactly as it was published (headers and value; sealed
 * fields stay sealed, so a later crypto-shredding leaves the chain valid), its hash, and the hash of the link before in
 * the same organisation's chain.
 *
 * @param id             {@code <organisation>/<index>}
 * @param organisationId the organisation whose chain it is in: the client's ({@link #OPERATIONS} for an operator's act
 *                       on a record that named no client)
 * @param index          0, 1, 2, ... in the order the organisation's events reached the audit
 * @param headers        the CloudEvents headers as published
 * @param value          the event's JSON as published
 * @param eventHash      SHA-256 of the headers and value, in the encoding {@code hashVersion} names
 * @param hashVersion    the event hash's encoding ({@link org.stillpoint.verifier.EventHash}): 2 for every link written
 *                       now, null for a link written before versions were named (version 1)
 * @param previousHash   the previous link's {@code hash}; 64 zeros for the first
 * @param hash           SHA-256 of index, previous hash and event hash
 */
@Document(LedgerEntry.COLLECTION)
public record LedgerEntry(@Id String id, String organisationId, long index, String eventId, String topic,
                          int partition, long offset, Map<String, String> headers, String value, String eventHash,
                          String previousHash, String hash, Integer hashVersion) {

    public static final String COLLECTION = "ledger";
    public static final String IDS = "ledger_ids";
    /** Events whose client's organisation the audit has not read yet: linked once it has. */
    public static final String PENDING = "ledger_pending";
    public static final String GENESIS = "0".repeat(64);
    /** The chain of operators' acts on records that named no client (not an organisation id: those have no "_"). */
    public static final String OPERATIONS = "_operations";

    /** The encoding of this link's event hash: 1 when none is named. */
    public int version() {
        return hashVersion == null ? 1 : hashVersion;
    }

    /** The id of link {@code index} of {@code organisationId}'s chain. */
    public static String idOf(String organisationId, long index) {
        return organisationId + "/" + index;
    }

    /** How many links a walk over a chain reads per query ({@link #range}). */
    static final int PAGE = 500;

    /** The organisation's links {@code from} (inclusive) to {@code to} (exclusive) that exist, by index, in one query. */
    public static Map<Long, LedgerEntry> range(MongoTemplate mongo, String organisationId, long from, long to) {
        List<String> ids = LongStream.range(from, to).mapToObj(i -> idOf(organisationId, i)).toList();
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), LedgerEntry.class).stream()
                    .collect(Collectors.toMap(LedgerEntry::index, Function.identity()));
    }
}
