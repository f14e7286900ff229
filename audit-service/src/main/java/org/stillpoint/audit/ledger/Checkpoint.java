package org.stillpoint.audit.ledger;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;

/**
 * A signed statement of where an organisation's chain stood: its head link's index and hash at a time, as a compact
 * JWS (ES256, the audit-service's signing key, typed {@link #TYPE}) whose payload is
 * {@code {"organisation","index","hash","treeSize","treeHead","at","signedBy"}}. Handed to a witness outside the
 * database, it anchors the chain: a link before it changed, or links cut off after it, no longer match what was signed.
 * The tree head ({@link LedgerTree}) lets an export prove each of a client's links with an inclusion path instead of
 * carrying the organisation's chain.
 *
 * @param id       {@code <organisation>/<index>}: a head is signed once ({@code <organisation>/<index>/tree} when a
 *                 checkpoint of the same head was signed before tree heads were)
 * @param treeSize the size of the Merkle tree signed ({@code index + 1}); null in checkpoints signed before tree heads
 * @param treeHead the Merkle tree head over the links {@code 0 … index}; null likewise
 * @param signedBy who asked for it: the subject of the compliance officer who did, or {@code schedule}
 * @param jws      the statement; its public key is in the audit-service's JWKS ({@code /.well-known/jwks.json})
 */
@Document(Checkpoint.COLLECTION)
public record Checkpoint(@Id String id, String organisationId, long index, String hash, Long treeSize, String treeHead,
                         Instant at, String signedBy, String jws) {

    /** Who signs a checkpoint at the interval. */
    public static final String SCHEDULE = "schedule";

    public static final String COLLECTION = "ledger_checkpoints";
    /** The JWS {@code typ} of a checkpoint: never a record's signature. */
    public static final String TYPE = "stillpoint-ledger-checkpoint+jwt";
}
