package org.stillpoint.platform.deadletter;

import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.record.InvalidRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Dead letters per client: a record a consumer group could not apply is parked, and every later record of the same
 * client (the record key) queues behind it until an operator retries or drops it; every other client flows. Kept in the
 * service's own MongoDB database, without transactions, so any instance can list and release.
 * <p>
 * Only the consumer that owns a client's partition parks and queues (one thread per partition), so a hold appears only
 * there. A queued letter is stored first and counted on its hold after; a release applies the open letters in offset
 * order and removes the hold only when it has taken out as many queued letters as were counted. A consumer that finds
 * the hold gone after storing a letter applies that letter itself, unless a release took it already (a status
 * compare-and-set decides). So a record is never left queued without a hold, and a client's order is kept.
 */
public class Quarantine {

    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration RELEASE_LIMIT = Duration.ofSeconds(30);
    private static final String NO_KEY = "(no key)";
    /**
     * The order a release applies a client's letters in: per topic partition, each aggregate's records by their
     * sequence (so a record that arrived before its predecessor goes after it), records of no aggregate by offset.
     */
    private static final Comparator<DeadLetter> RELEASE_ORDER = Comparator.comparing(DeadLetter::topic)
            .thenComparingInt(DeadLetter::partition)
            .thenComparing(l -> l.headers().getOrDefault(CloudEventHeaders.AGGREGATE, ""))
            .thenComparingLong(Quarantine::sequenceOrOffset);

    private final MongoTemplate mongo;
    private final Clock clock;
    private final Consumer<OperatorAct> acts;
    private final Map<String, RecordHandler> handlers = new ConcurrentHashMap<>();

    /** @param acts where each operator act goes to be audited */
    public Quarantine(MongoTemplate mongo, Clock clock, Consumer<OperatorAct> acts) {
        this.mongo = mongo;
        this.clock = clock;
        this.acts = acts;
    }

    /** Registers how {@code group} applies a record, for releases. */
    public void handle(String group, RecordHandler handler) {
        handlers.put(group, handler);
    }

    /** Of {@code keys}, those {@code group} holds: one point lookup for them all. */
    public Set<String> held(String group, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        List<String> ids = keys.stream().distinct().map(k -> Hold.id(group, key(k))).toList();
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), Hold.class).stream().map(Hold::key)
                    .collect(Collectors.toUnmodifiableSet());
    }

    public boolean isHeld(String group, String key) {
        return mongo.findById(Hold.id(group, key(key)), Hold.class) != null;
    }

    /**
     * Queues a record of a held client behind the parked one.
     *
     * @return false when the hold was released meanwhile and the caller must apply the record itself now
     */
    public boolean queue(String group, ConsumerRecord<String, byte[]> record) {
        String id = DeadLetter.id(group, record.topic(), record.partition(), record.offset());
        DeadLetter known = mongo.findById(id, DeadLetter.class);
        if (known != null && known.status() != DeadLetter.Status.APPLIED) {
            // read again (a redelivery, a rebalance, a rebuild): queued or parked already, or dropped for good
            return true;
        }
        Instant now = clock.instant();
        if (known == null) {
            mongo.insert(new DeadLetter(id, group, key(record.key()), record.topic(), record.partition(), record.offset(),
                                        headers(record), record.value(), DeadLetter.Status.QUEUED, "queued", null, null,
                                        0, now, now, null, null, null, null));
        } else if (!transition(id, DeadLetter.Status.APPLIED, DeadLetter.Status.QUEUED, null, null)) {
            return true;
        }
        Hold hold = mongo.findAndModify(Query.query(Criteria.where("_id").is(Hold.id(group, key(record.key())))),
                                        new Update().inc("queued", 1), FindAndModifyOptions.options().returnNew(true),
                                        Hold.class);
        if (hold != null) {
            return true;
        }
        // released meanwhile: apply it here, unless the release took it already
        return !transition(id, DeadLetter.Status.QUEUED, DeadLetter.Status.APPLIED, null, "applied by its consumer");
    }

    /**
     * Parks a record that failed (or is invalid) and holds its client. Parking it again counts one more attempt; a record
     * an operator dropped stays dropped. A record no producer of its topic signed ({@link InvalidRecord#authenticated()}) is
     * parked and reported — a security event for the client it names, a metric — but holds nobody: anyone who can write
     * to a topic could otherwise freeze any client's record. If it was a genuine record after all (its key published
     * late), the client's next record of the same aggregate fails the sequence check, and that one holds the client.
     */
    public DeadLetter park(String group, ConsumerRecord<?, ?> record, Exception failure) {
        Throwable cause = rootOf(failure);
        String reason = cause instanceof InvalidRecord invalid ? invalid.reason() : "failed";
        boolean unauthenticated = cause instanceof InvalidRecord invalid && !invalid.authenticated();
        String key = key(record.key() == null ? null : record.key().toString());
        String id = DeadLetter.id(group, record.topic(), record.partition(), record.offset());
        DeadLetter known = mongo.findById(id, DeadLetter.class);
        if (known != null && known.status() == DeadLetter.Status.DROPPED) {
            // read again after an operator dropped it: the decision stands, the client is not held for it
            return known;
        }
        Instant now = clock.instant();
        Update letter = new Update().setOnInsert("group", group).setOnInsert("key", key)
                                    .setOnInsert("topic", record.topic()).setOnInsert("partition", record.partition())
                                    .setOnInsert("offset", record.offset()).setOnInsert("headers", headers(record))
                                    .setOnInsert("value", record.value()).setOnInsert("firstAttempt", now)
                                    .set("status", DeadLetter.Status.PARKED).set("reason", reason)
                                    .set("exception", cause.getClass().getName()).set("message", message(cause))
                                    .set("lastAttempt", now).inc("attempts", 1)
                                    .set("unauthenticated", unauthenticated);
        mongo.upsert(Query.query(Criteria.where("_id").is(id)), letter, DeadLetter.class);
        if (unauthenticated) {
            DeadLetter parked = mongo.findById(id, DeadLetter.class);
            if (known == null) {
                Metrics.counter("stillpoint.records.unauthenticated", "group", group, "reason", reason).increment();
                acts.accept(OperatorAct.on(parked, VERIFIER, "REFUSED", "PARKED", reason, now));
            }
            return parked;
        }
        mongo.upsert(Query.query(Criteria.where("_id").is(Hold.id(group, key))),
                     new Update().setOnInsert("group", group).setOnInsert("key", key).setOnInsert("since", now)
                                 .setOnInsert("queued", 0L).setOnInsert("released", 0L),
                     Hold.class);
        return mongo.findById(id, DeadLetter.class);
    }

    /** Whether the letter's record is on its group's dead-letter topic already. */
    public boolean publishedToTopic(String letterId) {
        return mongo.exists(Query.query(Criteria.where("_id").is(letterId).and("deadLetterTopic").is(true)),
                            DeadLetter.class);
    }

    /** Records that the letter's record is on its group's dead-letter topic. */
    public void markPublishedToTopic(String letterId) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(letterId)), new Update().set("deadLetterTopic", true),
                          DeadLetter.class);
    }

    /** Letters of a group (every group when null), parked and queued first, then the rest, oldest first. */
    public List<DeadLetter> list(String group, boolean openOnly) {
        Query query = group == null ? new Query() : Query.query(Criteria.where("group").is(group));
        return mongo.find(query, DeadLetter.class).stream()
                    .filter(l -> !openOnly || l.status().open())
                    .sorted(Comparator.comparing((DeadLetter l) -> !l.status().open())
                                      .thenComparing(DeadLetter::firstAttempt))
                    .toList();
    }

    public Optional<DeadLetter> find(String id) {
        return Optional.ofNullable(mongo.findById(id, DeadLetter.class));
    }

    /**
     * Open letters per group that hold a client (parked and queued), counted by the store: no letter is loaded. Records
     * that are not their producer's are counted apart ({@link #unauthenticatedCounts}).
     */
    public Map<String, Long> openCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String group : handlers.keySet()) {
            counts.put(group, mongo.count(Query.query(Criteria.where("group").is(group)
                                                              .and("status").in(OPEN_STATUSES)
                                                              .and("unauthenticated").ne(true)),
                                          DeadLetter.class));
        }
        return counts;
    }

    /** Open letters per group that are records their producer did not sign: reported, holding nobody. */
    public Map<String, Long> unauthenticatedCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String group : handlers.keySet()) {
            counts.put(group, mongo.count(Query.query(Criteria.where("group").is(group)
                                                              .and("status").in(OPEN_STATUSES)
                                                              .and("unauthenticated").is(true)),
                                          DeadLetter.class));
        }
        return counts;
    }

    private static final List<DeadLetter.Status> OPEN_STATUSES = List.of(DeadLetter.Status.PARKED,
                                                                          DeadLetter.Status.QUEUED,
                                                                          DeadLetter.Status.APPLYING);
    /** Who reports a record that is not its producer's. */
    static final String VERIFIER = "system/record-verifier";

    /** What a release did. */
    public record Release(String key, int applied, int dropped, DeadLetter parkedAgain, boolean held) {
    }

    /** Applies the letter, then the client's queued letters in order. */
    public Release retry(String letterId, String operator) {
        DeadLetter letter = open(letterId);
        return release(letter, operator, null, null);
    }

    /** Drops the letter with a written reason, then applies the client's queued letters in order. */
    public Release drop(String letterId, String operator, String reason) {
        DeadLetter letter = open(letterId);
        return release(letter, operator, letterId, reason);
    }

    /** Retries every held client of the group (every group when null). */
    public List<Release> retryAll(String group, String operator) {
        return retryAll(group, operator, l -> true);
    }

    /** Retries every held client of the group (every group when null) whose letter {@code which} accepts. */
    public List<Release> retryAll(String group, String operator, java.util.function.Predicate<DeadLetter> which) {
        return list(group, true).stream().filter(l -> l.status() == DeadLetter.Status.PARKED).filter(which)
                                .map(l -> release(l, operator, null, null)).toList();
    }

    private DeadLetter open(String letterId) {
        DeadLetter letter = find(letterId).orElseThrow(() -> new NoSuchLetter(letterId));
        if (!letter.status().open()) {
            throw new LetterClosed(letter);
        }
        return letter;
    }

    private Release release(DeadLetter head, String operator, String dropId, String dropReason) {
        String group = head.group();
        String holdId = Hold.id(group, head.key());
        RecordHandler handler = handlers.get(group);
        if (handler == null) {
            throw new IllegalStateException("no consumer of group " + group + " runs in this instance");
        }
        lease(holdId);
        int applied = 0;
        int dropped = 0;
        long deadline = System.nanoTime() + RELEASE_LIMIT.toNanos();
        try {
            while (true) {
                List<DeadLetter> letters = mongo.find(Query.query(Criteria.where("key").is(head.key())), DeadLetter.class)
                                                .stream().filter(l -> l.group().equals(group) && l.status().open())
                                                .sorted(RELEASE_ORDER)
                                                .toList();
                long releasedQueued = 0;
                for (DeadLetter letter : letters) {
                    boolean wasQueued = letter.status() == DeadLetter.Status.QUEUED;
                    if (letter.id().equals(dropId)) {
                        if (transition(letter.id(), letter.status(), DeadLetter.Status.DROPPED, operator, dropReason)) {
                            dropped++;
                            releasedQueued += wasQueued ? 1 : 0;
                            acts.accept(OperatorAct.on(letter, operator, "DROPPED", "DROPPED", dropReason, clock.instant()));
                        }
                        continue;
                    }
                    if (!transition(letter.id(), letter.status(), DeadLetter.Status.APPLYING, null, null)) {
                        continue;
                    }
                    releasedQueued += wasQueued ? 1 : 0;
                    try {
                        handler.apply(record(letter));
                    } catch (Exception e) {
                        mongo.updateFirst(Query.query(Criteria.where("_id").is(holdId)), new Update().inc("released", releasedQueued), Hold.class);
                        DeadLetter again = park(group, record(letter), e);
                        if (letter.id().equals(head.id()) || !wasQueued) {
                            acts.accept(OperatorAct.on(again, operator, "RETRIED", "PARKED", null, clock.instant()));
                        }
                        return new Release(head.key(), applied, dropped, again, true);
                    }
                    transition(letter.id(), DeadLetter.Status.APPLYING, DeadLetter.Status.APPLIED, operator,
                               wasQueued ? "applied in order after its release" : "applied by a retry");
                    applied++;
                    if (!wasQueued) {
                        acts.accept(OperatorAct.on(letter, operator, "RETRIED", "APPLIED", null, clock.instant()));
                    }
                }
                Hold hold = mongo.findAndModify(Query.query(Criteria.where("_id").is(holdId)),
                                                new Update().inc("released", releasedQueued),
                                                FindAndModifyOptions.options().returnNew(true), Hold.class);
                if (hold == null) {
                    return new Release(head.key(), applied, dropped, null, false);
                }
                if (hold.released() >= hold.queued()
                        && mongo.remove(Query.query(Criteria.where("_id").is(holdId).and("queued").is(hold.queued())),
                                        Hold.class).getDeletedCount() == 1) {
                    return new Release(head.key(), applied, dropped, null, false);
                }
                if (System.nanoTime() > deadline) {
                    return new Release(head.key(), applied, dropped, null, true);
                }
            }
        } finally {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(holdId)), new Update().unset("lease"), Hold.class);
        }
    }

    /** Takes the hold for one release; a second release of the same client at once is refused. */
    private void lease(String holdId) {
        Hold hold = mongo.findById(holdId, Hold.class);
        Instant now = clock.instant();
        if (hold == null) {
            return;
        }
        if (hold.lease() != null && hold.lease().isAfter(now)) {
            throw new ReleaseInProgress(hold.key());
        }
        Criteria current = Criteria.where("_id").is(holdId).and("lease").is(hold.lease());
        if (mongo.findAndModify(Query.query(current), new Update().set("lease", now.plus(LEASE)), Hold.class) == null) {
            throw new ReleaseInProgress(hold.key());
        }
    }

    private boolean transition(String id, DeadLetter.Status from, DeadLetter.Status to, String operator, String resolution) {
        Update update = new Update().set("status", to);
        if (to != DeadLetter.Status.APPLYING) {
            update.set("resolvedBy", operator).set("resolution", resolution).set("resolvedAt", clock.instant());
        }
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("status").is(from)), update,
                                 DeadLetter.class).getModifiedCount() == 1;
    }

    private static long sequenceOrOffset(DeadLetter letter) {
        try {
            return letter.headers().containsKey(CloudEventHeaders.AGGREGATE)
                    ? Long.parseLong(letter.headers().get(CloudEventHeaders.SEQUENCE)) : letter.offset();
        } catch (NumberFormatException e) {
            return letter.offset();
        }
    }

    private static ConsumerRecord<String, byte[]> record(DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        letter.headers().forEach((k, v) -> headers.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return new ConsumerRecord<>(letter.topic(), letter.partition(), letter.offset(), ConsumerRecord.NO_TIMESTAMP,
                                    TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE,
                                    NO_KEY.equals(letter.key()) ? null : letter.key(), letter.value(), headers,
                                    Optional.empty());
    }

    private static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            // Mongo field names may not contain dots
            headers.put(header.key().replace('.', '_'), header.value() == null ? ""
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static String key(String key) {
        return key == null ? NO_KEY : key;
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause != cause.getCause() && !(cause instanceof InvalidRecord)) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The failure's message, bounded, for the operator; the record's content is never part of it. */
    private static String message(Throwable cause) {
        String message = cause instanceof InvalidRecord ? cause.getMessage() : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage()));
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    public static final class NoSuchLetter extends RuntimeException {
        NoSuchLetter(String id) {
            super("There is no dead letter " + id + ".");
        }
    }

    public static final class LetterClosed extends RuntimeException {
        LetterClosed(DeadLetter letter) {
            super("Dead letter " + letter.id() + " is " + letter.status() + " already.");
        }
    }

    public static final class ReleaseInProgress extends RuntimeException {
        ReleaseInProgress(String key) {
            super("Another release of " + key + " is in progress.");
        }
    }
}
