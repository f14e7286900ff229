package org.stillpoint.platform.cluster;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live instances of one service, as the service's own database sees them: each instance stamps its document in
 * {@code instances} every {@code beat}; an instance whose stamp is older than {@code lifetime} is gone (killed, or cut
 * off from the database). A stopping instance removes its document at once.
 * <p>
 * The event processors share their segments by this count ({@link FairShare}).
 */
public class Instances implements SmartLifecycle {

    static final String COLLECTION = "instances";
    private static final Logger log = LoggerFactory.getLogger(Instances.class);

    private final MongoCollection<Document> instances;
    private final String self;
    private final Duration beat;
    private final Duration lifetime;
    private final Clock clock;
    private volatile ScheduledExecutorService heart;
    private volatile int live = 1;

    /**
     * @param self     this instance's id (the token store's node id)
     * @param beat     how often this instance stamps its document and counts the others
     * @param lifetime how old a stamp may be for its instance to count as alive
     */
    public Instances(MongoDatabase database, String self, Duration beat, Duration lifetime, Clock clock) {
        this.instances = database.getCollection(COLLECTION);
        this.self = self;
        this.beat = beat;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** How many instances of the service are alive, this one included, as of the last beat. */
    public int live() {
        return live;
    }

    /** Stamps this instance and counts the live ones now. */
    public void beat() {
        try {
            instances.replaceOne(Filters.eq("_id", self), new Document("_id", self).append("seen", Date.from(clock.instant())),
                                 new ReplaceOptions().upsert(true));
            Date oldest = Date.from(clock.instant().minus(lifetime));
            int counted = (int) instances.countDocuments(Filters.gte("seen", oldest));
            live = Math.max(1, counted);
        } catch (RuntimeException e) {
            // the database is away: keep the last count, the token store's claims decide meanwhile
            log.debug("could not stamp this instance in {}: {}", COLLECTION, e.toString());
        }
    }

    @Override
    public void start() {
        beat();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("stillpoint-instances").daemon().factory());
        executor.scheduleWithFixedDelay(this::beat, beat.toMillis(), beat.toMillis(), TimeUnit.MILLISECONDS);
        heart = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = heart;
        heart = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        try {
            instances.deleteOne(Filters.eq("_id", self));
        } catch (RuntimeException e) {
            log.debug("could not remove this instance from {}: {}", COLLECTION, e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return heart != null;
    }

    /** Before the event processors start, after they stop: their share is known when they first claim. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}
