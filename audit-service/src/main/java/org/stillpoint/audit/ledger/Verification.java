package org.stillpoint.audit.ledger;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.SignedContent;
import org.stillpoint.platform.config.ConsumerProperties;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.health.ConsumerLag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Re-computes the ledger from its first link: each event's hash from the event as stored, each link's hash from the
 * one before. The first link that does not match is reported, with every integrity finding.
 */
@Component
public record Verification(MongoTemplate mongo, Clock clock, Quarantine quarantine, ConsumerLag lag,
                           ConsumerProperties consumers) {

    private static final int PAGE = 500;
    /** The ingest's consumer group, whose dead letters and lag say how complete the ledger is. */
    public static final String INGEST_GROUP = "audit-service";

    /** The first link that does not hold, and why. */
    public record BrokenLink(long index, String eventId, String reason) {
    }

    /**
     * How complete the ledger is: records the ingest has parked (and the clients they hold), and how far it is behind
     * each topic. With either, the ledger verifies only what has arrived, and says so.
     *
     * @param lag records not yet read, per topic; empty when the broker could not say ({@code lagKnown} false)
     */
    public record Ingest(long deadLetters, Map<String, Long> lag, boolean lagKnown, boolean current) {
    }

    /**
     * @param valid   the chain as stored holds and there is no integrity finding
     * @param verdict {@code VERIFIED} (valid, and the ingest is current), {@code INCOMPLETE} (valid as far as it goes,
     *                but records are parked or not yet read), or {@code BROKEN}
     */
    public record Report(long entries, boolean valid, String verdict, BrokenLink firstBrokenLink, String headHash,
                         List<IntegrityFinding> findings, Ingest ingest, Instant checkedAt) {
    }

    /** The ingest's state now. */
    public Ingest ingest() {
        long parked = quarantine.list(INGEST_GROUP, true).size();
        Map<String, Long> behind;
        boolean known = true;
        try {
            behind = lag.of(INGEST_GROUP);
        } catch (IllegalStateException e) {
            behind = Map.of();
            known = false;
        }
        boolean current = known && parked == 0 && behind.values().stream().allMatch(n -> n <= consumers.lagWarning());
        return new Ingest(parked, behind, known, current);
    }

    public Report verify() {
        Walk walk = walk(mongo);
        List<IntegrityFinding> findings = mongo.findAll(IntegrityFinding.class);
        boolean valid = walk.broken() == null && findings.isEmpty();
        Ingest ingest = ingest();
        return new Report(walk.entries(), valid,
                          !valid ? "BROKEN" : ingest.current() ? "VERIFIED" : "INCOMPLETE", walk.broken(), walk.head(),
                          findings, ingest, clock.instant());
    }

    /**
     * The chain walked from its first link: how many links it holds, the head's hash, and the first link that does not
     * hold.
     */
    public record Walk(long entries, String head, BrokenLink broken) {
    }

    /**
     * Walks every link the ledger holds, {@code 0 … n-1} for the {@code n} links counted when the walk starts, never
     * stopping before the last: a link missing anywhere below {@code n} — at a page's end as much as inside one — breaks
     * the chain there.
     */
    public static Walk walk(MongoTemplate mongo) {
        long count = mongo.count(new Query(), LedgerEntry.class);
        String previous = LedgerEntry.GENESIS;
        for (long index = 0; index < count; index += PAGE) {
            long end = Math.min(index + PAGE, count);
            List<Long> ids = LongStream.range(index, end).boxed().toList();
            Map<Long, LedgerEntry> page = mongo.find(Query.query(Criteria.where("_id").in(ids)), LedgerEntry.class)
                                               .stream().collect(Collectors.toMap(LedgerEntry::index, Function.identity()));
            for (long i = index; i < end; i++) {
                LedgerEntry entry = page.get(i);
                if (entry == null) {
                    return new Walk(count, previous, new BrokenLink(i, null, "link " + i + " is missing: the ledger "
                            + "holds " + count + " links, so every index below " + count + " must be there"));
                }
                BrokenLink broken = check(entry, previous);
                if (broken != null) {
                    return new Walk(count, previous, broken);
                }
                previous = entry.hash();
            }
        }
        return new Walk(count, previous, null);
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

    /**
     * SHA-256 of the headers (sorted by name) and the value, as published: as the ledger computed it. The signature
     * and its proof are left out: they attest the content rather than being part of it, and a publisher's retry of
     * the same event signs it anew, in another batch, which is the same event, not a conflicting one.
     */
    public static String eventHash(Map<String, String> headers, String value) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(headers).forEach((name, v) -> {
            if (!name.equals(SignedContent.HEADER) && !name.equals(SignedContent.PROOF_HEADER)) {
                text.append(name).append('=').append(v).append('\n');
            }
        });
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
