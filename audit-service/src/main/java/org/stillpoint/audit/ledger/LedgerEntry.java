package org.stillpoint.audit.ledger;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.util.Map;

/**
 * One link of the tamper-evident ledger: the event exactly as it was published (headers and value; sealed fields stay
 * sealed, so a later crypto-shredding leaves the chain valid), its hash, and the hash of the link before.
 *
 * @param index        0, 1, 2, ... in the order events reached the audit
 * @param headers      the CloudEvents headers as published
 * @param value        the event's JSON as published
 * @param eventHash    SHA-256 of the headers and value
 * @param previousHash the previous link's {@code hash}; 64 zeros for the first
 * @param hash         SHA-256 of index, previous hash and event hash
 */
@Document(LedgerEntry.COLLECTION)
public record LedgerEntry(@Id long index, String eventId, String topic, int partition, long offset,
                          Map<String, String> headers, String value, String eventHash, String previousHash,
                          String hash) {

    public static final String COLLECTION = "ledger";
    public static final String IDS = "ledger_ids";
    public static final String GENESIS = "0".repeat(64);
}
