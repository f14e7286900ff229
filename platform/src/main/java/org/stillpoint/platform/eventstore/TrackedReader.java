package org.stillpoint.platform.eventstore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The read side for processors: the events after a {@link GapAwareTrackingToken}, in position order, by point lookups
 * ({@code positions $in}) near the head and by one range query per window for a reader far behind it. A position that
 * is reserved but not visible is a gap of the token, asked for again on every fetch until it fills or the
 * {@link GapPolicy} gives it up — never skipped silently: each gap given up is counted and logged with its position.
 */
final class TrackedReader {

    private static final Logger log = LoggerFactory.getLogger(MongoEventStorageEngine.class);
    /** The fewest positions read at once by a reader that is catching up. */
    static final int READ_AHEAD = 5_000;
    /** The most positions one read-ahead query asks for. */
    private static final int MAX_READ_AHEAD = 20_000;
    /** How long a reader's read-ahead window is trusted (a commit becoming visible in it later is found as a gap). */
    private static final long READ_AHEAD_LIFETIME = TimeUnit.SECONDS.toNanos(10);
    /** A reader more than this many positions behind the head is catching up. */
    private static final int CATCH_UP_DISTANCE = READ_AHEAD / 2;

    private final MongoCollection<Document> commits;
    private final LongSupplier next;
    private final GapPolicy gapPolicy;
    /** The clock gaps are timed by, in nanoseconds ({@link System#nanoTime()}, or a test's). */
    private final LongSupplier ticker;
    /** When a reader of this engine first found each gap still invisible, by {@link #ticker}. */
    private final Map<Long, Long> gapFirstSeen = new ConcurrentHashMap<>();
    /** The gaps given up, each counted once. */
    private final Set<Long> givenUp = ConcurrentHashMap.newKeySet();
    private final AtomicLong givenUpCount = new AtomicLong();
    /** Each reader thread's current read-ahead window. */
    private final ThreadLocal<ReadAhead> readAhead = new ThreadLocal<>();

    /** @param next the next position to be reserved ({@link Commits#nextPosition}) */
    TrackedReader(MongoCollection<Document> commits, LongSupplier next, GapPolicy gapPolicy, LongSupplier ticker) {
        this.commits = commits;
        this.next = next;
        this.gapPolicy = gapPolicy;
        this.ticker = ticker;
    }

    List<? extends TrackedEventData<?>> fetch(TrackingToken lastToken, int batchSize) {
        GapAwareTrackingToken token = liveGapsOf(asGapAware(lastToken));
        long head = next.getAsLong();
        SortedSet<Long> gaps = token.getGaps();
        long from = token.getIndex() + 1;
        List<Document> found = new ArrayList<>();
        Set<Long> wanted = new LinkedHashSet<>(gaps);
        // A window whose positions all failed must not stall the reader: look further until something is found.
        while (true) {
            long to = Math.min(from + batchSize, head);
            ReadAhead ahead = readAhead.get();
            boolean covered = ahead != null && from >= ahead.from() && from < ahead.to()
                    && ticker.getAsLong() - ahead.readAt() < READ_AHEAD_LIFETIME;
            if (covered || head - from > CATCH_UP_DISTANCE) {
                ahead = covered ? ahead : readAhead(from, head);
                to = Math.min(to, ahead.to());
                found.addAll(ahead.entries().subMap(from, true, to, false).values());
                if (to >= ahead.to()) {
                    // used up: the next fetch reads ahead anew, or by point lookups when it is near the head
                    readAhead.remove();
                }
            } else {
                readAhead.remove();
                for (long p = from; p < to; p++) {
                    wanted.add(p);
                }
            }
            if (!wanted.isEmpty()) {
                collectEntries(wanted, token, found);
            } else if (to <= from) {
                return List.of();
            }
            if (!found.isEmpty() || to >= head) {
                break;
            }
            wanted.clear();
            from = to;
        }
        forgetFilledGaps(gaps, found);
        Map<Long, Document> byPosition = new TreeMap<>();
        found.forEach(entry -> byPosition.putIfAbsent(entry.getLong("position"), entry));
        List<TrackedEventData<?>> batch = new ArrayList<>(byPosition.size());
        GapAwareTrackingToken current = token;
        for (Document entry : byPosition.values()) {
            long position = entry.getLong("position");
            GapAwareTrackingToken advanced = current.advanceTo(position, gapPolicy.maxOffset());
            for (Long gap : current.getGaps()) {
                if (gap != position && !advanced.getGaps().contains(gap)) {
                    givenUp(gap, "more than " + gapPolicy.maxOffset() + " positions behind its reader");
                }
            }
            current = advanced;
            batch.add(new TrackedDomainEventData<>(current, Commits.domainEntry(entry)));
        }
        return batch;
    }

    /** How many gaps readers of this engine gave up since it started, each counted once (DESIGN §3: never silent). */
    long givenUpGaps() {
        return givenUpCount.get();
    }

    private void givenUp(long gap, String why) {
        if (givenUp.add(gap)) {
            givenUpCount.incrementAndGet();
            log.warn("gap at position {} given up: {}; a commit that becomes visible there later is not delivered to "
                             + "readers past it", gap, why);
            if (givenUp.size() > 10_000) {
                givenUp.clear();
            }
        }
    }

    /**
     * The entries of the next positions from {@code from} for a reader far behind the head, from one range query kept
     * for the reader's thread: catching up then costs one query per window instead of one index lookup per position.
     * The window is half the store (at least {@link #READ_AHEAD}, at most {@link #MAX_READ_AHEAD} positions), so
     * that on a server that scans for ranges a whole replay scans the store a bounded number of times. Positions the
     * query did not find are gaps of the reader's token, as with point lookups, and are looked up again as such.
     */
    private ReadAhead readAhead(long from, long head) {
        long window = Math.clamp(head / 2, READ_AHEAD, MAX_READ_AHEAD);
        long to = Math.min(head, from + window);
        NavigableMap<Long, Document> entries = new TreeMap<>();
        for (Document commit : commits.find(Filters.and(Filters.gte("positions", from), Filters.lt("positions", to)))) {
            for (Document entry : commit.getList("events", Document.class)) {
                long position = entry.getLong("position");
                if (position >= from && position < to) {
                    entries.put(position, entry);
                }
            }
        }
        ReadAhead ahead = new ReadAhead(from, to, entries, ticker.getAsLong());
        readAhead.set(ahead);
        return ahead;
    }

    /** What one range query found for positions {@code [from, to)}, at {@code readAt} (by the ticker). */
    private record ReadAhead(long from, long to, NavigableMap<Long, Document> entries, long readAt) {
    }

    private void collectEntries(Collection<Long> wanted, GapAwareTrackingToken token, List<Document> found) {
        for (Document entry : Commits.entriesOf(commits.find(Filters.in("positions", wanted)))) {
            long position = entry.getLong("position");
            if (position > token.getIndex() || token.getGaps().contains(position)) {
                found.add(entry);
            }
        }
    }

    private static GapAwareTrackingToken asGapAware(TrackingToken token) {
        if (token == null) {
            return GapAwareTrackingToken.newInstance(-1, List.of());
        }
        if (token instanceof GapAwareTrackingToken gapAware) {
            return gapAware;
        }
        throw new IllegalArgumentException("this store tracks with GapAwareTrackingTokens, not " + token.getClass());
    }

    /** The token without the gaps this engine has given up on ({@link GapPolicy}). */
    private GapAwareTrackingToken liveGapsOf(GapAwareTrackingToken token) {
        if (!token.hasGaps()) {
            return token;
        }
        long now = ticker.getAsLong();
        long timeout = gapPolicy.timeout().toNanos();
        SortedSet<Long> live = new TreeSet<>();
        for (Long gap : token.getGaps()) {
            Long firstSeen = gapFirstSeen.putIfAbsent(gap, now);
            if (firstSeen == null || now - firstSeen <= timeout) {
                live.add(gap);
            } else {
                givenUp(gap, "still invisible after the gap timeout of " + gapPolicy.timeout());
            }
        }
        if (live.size() == token.getGaps().size()) {
            return token;
        }
        return GapAwareTrackingToken.newInstance(token.getIndex(), live);
    }

    private void forgetFilledGaps(SortedSet<Long> gaps, List<Document> found) {
        if (gaps.isEmpty()) {
            return;
        }
        for (Document entry : found) {
            gapFirstSeen.remove(entry.getLong("position"));
        }
        if (gapFirstSeen.size() > 10_000) {
            long horizon = ticker.getAsLong() - 2 * gapPolicy.timeout().toNanos();
            gapFirstSeen.values().removeIf(firstSeen -> firstSeen < horizon);
        }
    }

    TrackingToken tail() {
        return GapAwareTrackingToken.newInstance(-1, List.of());
    }

    /**
     * The current end of the store. Positions near the end that are reserved but not yet visible are gaps of the
     * head token, so a reader starting at the head does not miss a commit that was being written.
     */
    TrackingToken head(int batchSize) {
        long head = next.getAsLong();
        if (head == 0) {
            return tail();
        }
        long from = Math.max(0, head - batchSize);
        Set<Long> window = new TreeSet<>();
        for (long p = from; p < head; p++) {
            window.add(p);
        }
        for (Document commit : commits.find(Filters.in("positions", window)).projection(new Document("positions", 1))) {
            commit.getList("positions", Long.class).forEach(window::remove);
        }
        window.remove(head - 1);
        return GapAwareTrackingToken.newInstance(head - 1, window);
    }

    /** A token just before the first commit at or after {@code dateTime}; a rare operation that scans commits. */
    TrackingToken at(Instant dateTime, int batchSize) {
        Document first = commits.find(Filters.gte("committedAt", Date.from(dateTime)))
                                .sort(Sorts.ascending("_id")).projection(new Document("_id", 1)).first();
        if (first == null) {
            return head(batchSize);
        }
        return GapAwareTrackingToken.newInstance(first.getLong("_id") - 1, List.of());
    }
}
