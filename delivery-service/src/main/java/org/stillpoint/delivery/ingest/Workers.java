package org.stillpoint.delivery.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.stillpoint.delivery.command.Subscription;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A worker per subscription that delivers, on every instance of the service: each looks every {@code refreshEvery}
 * for subscriptions registered, resumed, paused or deleted since, starts and stops workers to match, and starts again a
 * worker that stopped by itself (its subscription's services changed, or it failed). Which instance delivers which
 * partition is each subscription's consumer group's to share out.
 */
public class Workers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

    private final Parts parts;
    private final Duration refreshEvery;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile Thread looking;

    public Workers(Parts parts, Duration refreshEvery) {
        this.parts = parts;
        this.refreshEvery = refreshEvery;
    }

    private record Running(SubscriptionWorker worker, Thread thread) {
    }

    @Override
    public void start() {
        // set before the thread runs: it looks for as long as this says so
        started = true;
        looking = Thread.ofPlatform().name("delivery-subscriptions").daemon().start(this::look);
    }

    private void look() {
        while (started && !Thread.currentThread().isInterrupted()) {
            try {
                refresh();
                Thread.sleep(refreshEvery);
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Could not read the subscriptions to deliver; looking again in {}", refreshEvery, e);
                try {
                    Thread.sleep(refreshEvery);
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }
    }

    /** Starts a worker for each subscription that delivers and has none alive, stops those of the others. */
    void refresh() {
        Set<String> delivering = parts.subscriptions().delivering().stream().map(Subscription::id)
                                      .collect(Collectors.toSet());
        running.forEach((id, worker) -> {
            if (!delivering.contains(id)) {
                worker.worker().stop();
            }
            if (!worker.thread().isAlive()) {
                running.remove(id, worker);
            }
        });
        for (String id : delivering) {
            running.computeIfAbsent(id, this::launch);
        }
    }

    private Running launch(String subscriptionId) {
        SubscriptionWorker worker = new SubscriptionWorker(subscriptionId, parts);
        Thread thread = Thread.ofPlatform().name("delivery-" + subscriptionId).daemon().unstarted(() -> {
            try {
                worker.run();
            } catch (RuntimeException e) {
                LOG.error("Delivery of subscription {} stopped on a failure; it starts again", subscriptionId, e);
            }
        });
        thread.start();
        return new Running(worker, thread);
    }

    @Override
    public void stop() {
        started = false;
        Thread thread = looking;
        looking = null;
        if (thread != null) {
            thread.interrupt();
        }
        running.values().forEach(r -> r.worker().stop());
        for (Running r : running.values()) {
            try {
                r.thread().join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running.clear();
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** How many subscriptions this instance delivers now. */
    public int delivering() {
        return (int) running.values().stream().filter(r -> r.thread().isAlive()).count();
    }
}
