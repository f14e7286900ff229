package org.stillpoint.audit.ledger;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.platform.config.ConsumerProperties;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.deadletter.DeadLetter;
import org.stillpoint.platform.health.ConsumerLag;
import org.stillpoint.verifier.EventHash;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-computes an organisation's chain from its first link: each event's hash from the event as stored, each link's
 * hash from the one before. The first link that does not match is reported, with the organisation's integrity
 * findings. Nothing of another organisation's chain enters the report.
 */
@Component
public record Verification(MongoTemplate mongo, Clock clock, Quarantine quarantine, ConsumerLag lag,
                           ConsumerProperties consumers, Checkpoints checkpoints) {

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
    public record Ingest(long deadLetters, long unplaced, Map<String, Long> lag, boolean lagKnown, boolean current,
                         long unattributed) {
    }

    /**
     * @param organisationId whose chain it is
     * @param checkpoint     the latest signed checkpoint of the chain, which the chain must still hold
     * @param valid   the chain as stored holds and there is no integrity finding
     * @param verdict {@code VERIFIED} (valid, and the ingest is current), {@code INCOMPLETE} (valid as far as it goes,
     *                but records are parked or not yet read), or {@code BROKEN}
     * @param walkedFrom the first link this verification recomputed: 0 for a walk of the whole chain, else the link
     *                   after the head a verification before it kept
     * @param wholeChainAt when the whole chain was last walked and held
     */
    public record Report(String organisationId, long entries, boolean valid, String verdict,
                         BrokenLink firstBrokenLink, String headHash, Checkpoint checkpoint,
                         List<IntegrityFinding> findings, Ingest ingest, Instant checkedAt, long walkedFrom,
                         Instant wholeChainAt) {
    }

    /**
     * The head a verification found holding, kept per organisation ({@value #VERIFIED}): the next verification that
     * may extend it recomputes only the links after it.
     *
     * @param entries      links up to and including the head
     * @param wholeChainAt when a walk from the first link last ended at a head this one extends
     */
    @Document(VERIFIED)
    public record Verified(@Id String organisationId, long entries, String head, Instant wholeChainAt) {
    }

    public static final String VERIFIED = "ledger_verified";

    /**
     * The ingest's state now, as far as it concerns the organisation and it alone: its clients' parked records, its
     * events waiting to be placed (by the organisation they name), and the lag on each topic. Records no producer
     * signed are not the organisation's history and count nowhere; records and events whose organisation cannot be told
     * are counted apart ({@code unattributed}) and make no organisation's verdict.
     */
    public Ingest ingest(String organisationId) {
        long parked = 0;
        long unattributed = 0;
        for (DeadLetter letter : quarantine.list(INGEST_GROUP, true)) {
            if (Boolean.TRUE.equals(letter.unauthenticated())) {
                continue;
            }
            Optional<String> organisation = letter.key() == null ? Optional.empty()
                    : AuditQueries.organisationOf(mongo, letter.key());
            if (organisation.isEmpty()) {
                organisation = DeadLetter.organisationNamedBy(letter.value());
            }
            if (organisation.isEmpty()) {
                unattributed++;
            } else if (organisation.get().equals(organisationId)) {
                parked++;
            }
        }
        long unplaced = mongo.getCollection(LedgerEntry.PENDING)
                             .countDocuments(new org.bson.Document("organisationId", organisationId));
        unattributed += mongo.getCollection(LedgerEntry.PENDING)
                             .countDocuments(new org.bson.Document("organisationId", null));
        Map<String, Long> behind;
        boolean known = true;
        try {
            behind = lag.of(INGEST_GROUP);
        } catch (IllegalStateException e) {
            behind = Map.of();
            known = false;
        }
        boolean current = known && parked == 0 && unplaced == 0
                && behind.values().stream().allMatch(n -> n <= consumers.lagWarning());
        return new Ingest(parked, unplaced, behind, known, current, unattributed);
    }

    /** The organisation's chain verified now, every link from the first: the API's verification. */
    public Report verify(String organisationId) {
        return report(organisationId, walk(mongo, organisationId, 0, LedgerEntry.GENESIS), 0, null);
    }

    /**
     * The organisation's chain verified from the head a verification before it kept, when that link still holds its
     * hash (else from the first link): a console view costs the links added since. What came before that head is
     * what the last whole walk found; {@link Report#wholeChainAt()} says when that was.
     */
    public Report verifyNew(String organisationId) {
        Verified kept = mongo.findById(organisationId, Verified.class);
        if (kept != null && kept.entries() > 0) {
            LedgerEntry head = LedgerEntry.range(mongo, organisationId, kept.entries() - 1, kept.entries())
                                          .get(kept.entries() - 1);
            long below = mongo.count(Query.query(Criteria.where("organisationId").is(organisationId)
                                                         .and("index").lt(kept.entries())), LedgerEntry.class);
            // the kept head still there, unchanged, and every link below it still counted (none taken away)
            if (head != null && head.hash().equals(kept.head()) && check(head, head.previousHash()) == null
                    && below == kept.entries()) {
                return report(organisationId, walk(mongo, organisationId, kept.entries(), kept.head()),
                              kept.entries(), kept.wholeChainAt());
            }
        }
        return verify(organisationId);
    }

    private Report report(String organisationId, Walk walk, long from, Instant wholeChainAt) {
        Instant now = clock.instant();
        Instant whole = from == 0 ? now : wholeChainAt;
        BrokenLink broken = walk.broken();
        Checkpoint checkpoint = checkpoints.latest(organisationId).orElse(null);
        if (broken == null && checkpoint != null) {
            // the chain recomputes, but does it still hold what was signed? (a rewritten history, a cut-off tail)
            String contradiction = checkpoints.contradiction(checkpoint);
            if (contradiction != null) {
                broken = new BrokenLink(checkpoint.index(), null, contradiction);
            }
        }
        List<IntegrityFinding> findings = mongo.find(Query.query(Criteria.where("organisationId").is(organisationId)),
                                                     IntegrityFinding.class);
        boolean valid = broken == null && findings.isEmpty();
        if (broken == null) {
            mongo.save(new Verified(organisationId, walk.entries(), walk.head(), whole));
        } else {
            // the next verification walks the whole chain again
            mongo.remove(Query.query(Criteria.where("_id").is(organisationId)), Verified.class);
        }
        Ingest ingest = ingest(organisationId);
        return new Report(organisationId, walk.entries(), valid,
                          !valid ? "BROKEN" : ingest.current() ? "VERIFIED" : "INCOMPLETE", broken, walk.head(),
                          checkpoint, findings, ingest, now, from, broken == null ? whole : null);
    }

    /**
     * The chain walked from its first link: how many links it holds, the head's hash, and the first link that does not
     * hold.
     */
    public record Walk(long entries, String head, BrokenLink broken) {
    }

    /**
     * Walks every link of the organisation's chain, {@code 0 … n-1} for the {@code n} links counted when the walk
     * starts, never stopping before the last: a link missing anywhere below {@code n} — at a page's end as much as
     * inside one — breaks the chain there.
     */
    public static Walk walk(MongoTemplate mongo, String organisationId) {
        return walk(mongo, organisationId, 0, LedgerEntry.GENESIS);
    }

    /** As {@link #walk(MongoTemplate, String)}, from link {@code from}, whose previous hash must be {@code previous}. */
    static Walk walk(MongoTemplate mongo, String organisationId, long from, String previous) {
        long count = mongo.count(Query.query(Criteria.where("organisationId").is(organisationId)), LedgerEntry.class);
        for (long index = from; index < count; index += LedgerEntry.PAGE) {
            long end = Math.min(index + LedgerEntry.PAGE, count);
            Map<Long, LedgerEntry> page = LedgerEntry.range(mongo, organisationId, index, end);
            for (long i = index; i < end; i++) {
                LedgerEntry entry = page.get(i);
                if (entry == null) {
                    return new Walk(count, previous, new BrokenLink(i, null, "link " + i + " is missing: the chain "
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
        if (!EventHash.of(entry.version(), entry.headers(), entry.value()).equals(entry.eventHash())) {
            return new BrokenLink(entry.index(), entry.eventId(), "the event stored is not the event that was hashed");
        }
        if (!linkHash(entry.index(), previous, entry.eventHash()).equals(entry.hash())) {
            return new BrokenLink(entry.index(), entry.eventId(), "its hash does not match its content");
        }
        return null;
    }

    /** The hash of an event as published, in the encoding every new link uses ({@link EventHash}). */
    public static String eventHash(Map<String, String> headers, String value) {
        return EventHash.of(EventHash.CURRENT, headers, value);
    }

    public static String linkHash(long index, String previousHash, String eventHash) {
        return EventHash.link(index, previousHash, eventHash);
    }
}
