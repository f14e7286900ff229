package org.stillpoint.audit.query;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Re-computes the ledger from its first link: each event's hash from the event as stored, each link's hash from the
 * one before. The first link that does not match is reported, with every integrity finding.
 */
@Component
public class Verification {

    private static final int PAGE = 500;

    /** The first link that does not hold, and why. */
    public record BrokenLink(long index, String eventId, String reason) {
    }

    public record Report(long entries, boolean valid, BrokenLink firstBrokenLink, String headHash,
                         List<IntegrityFinding> findings, Instant checkedAt) {
    }

    private final MongoTemplate mongo;
    private final Clock clock;

    public Verification(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    public Report verify() {
        String previous = LedgerEntry.GENESIS;
        BrokenLink broken = null;
        long index = 0;
        pages:
        while (true) {
            List<Long> ids = new ArrayList<>(PAGE);
            for (long i = index; i < index + PAGE; i++) {
                ids.add(i);
            }
            Map<Long, LedgerEntry> page = mongo.find(Query.query(Criteria.where("_id").in(ids)), LedgerEntry.class)
                                               .stream().collect(Collectors.toMap(LedgerEntry::index, Function.identity()));
            for (long i = index; i < index + PAGE; i++) {
                LedgerEntry entry = page.get(i);
                if (entry == null) {
                    long missing = i;
                    if (page.keySet().stream().anyMatch(k -> k > missing)) {
                        broken = new BrokenLink(i, null, "link " + i + " is missing");
                    }
                    break pages;
                }
                broken = check(entry, previous);
                if (broken != null) {
                    break pages;
                }
                previous = entry.hash();
            }
            index += PAGE;
        }
        List<IntegrityFinding> findings = mongo.findAll(IntegrityFinding.class);
        return new Report(mongo.count(new Query(), LedgerEntry.class), broken == null && findings.isEmpty(), broken,
                          previous, findings, clock.instant());
    }

    private static BrokenLink check(LedgerEntry entry, String previous) {
        if (!entry.previousHash().equals(previous)) {
            return new BrokenLink(entry.index(), entry.eventId(), "its previous hash is not the hash of link "
                    + (entry.index() - 1));
        }
        if (!eventHash(entry.headers(), entry.value()).equals(entry.eventHash())) {
            return new BrokenLink(entry.index(), entry.eventId(), "the event stored is not the event that was hashed");
        }
        if (!linkHash(entry.index(), previous, entry.eventHash()).equals(entry.hash())) {
            return new BrokenLink(entry.index(), entry.eventId(), "its hash does not match its content");
        }
        return null;
    }

    /** SHA-256 of the headers (sorted by name) and the value, as published: as the ledger computed it. */
    public static String eventHash(Map<String, String> headers, String value) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(headers).forEach((name, v) -> text.append(name).append('=').append(v).append('\n'));
        return sha256(text.append('\n').append(value).toString());
    }

    public static String linkHash(long index, String previousHash, String eventHash) {
        return sha256(index + ":" + previousHash + ":" + eventHash);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
