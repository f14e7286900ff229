package org.stillpoint.audit.ledger;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;

/**
 * A signed statement of where an organisation's chain stood: its head link's index and hash at a time, as a compact
 * JWS (ES256, the audit-service's signing key, typed {@link #TYPE}) whose payload is
 * {@code {"organisation","index","hash","at"}}. Handed to a witness outside the database, it anchors the chain: a
 * link before it changed, or links cut off after it, no longer match what was signed.
 *
 * @param id  {@code <organisation>/<index>}: a head is signed once
 * @param jws the statement; its public key is in the audit-service's JWKS ({@code /.well-known/jwks.json})
 */
@Document(Checkpoint.COLLECTION)
public record Checkpoint(@Id String id, String organisationId, long index, String hash, Instant at, String jws) {

    public static final String COLLECTION = "ledger_checkpoints";
    /** The JWS {@code typ} of a checkpoint: never a record's signature. */
    public static final String TYPE = "stillpoint-ledger-checkpoint+jwt";
}
