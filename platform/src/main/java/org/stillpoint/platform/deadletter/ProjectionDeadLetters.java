package org.stillpoint.platform.deadletter;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.context.SmartLifecycle;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.EventType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The dead letters of the service's projections: Axon's sequenced dead-letter queue per processing group, in the
 * service's MongoDB, with the client id as the sequence. An event a projection handler cannot apply is parked there, and
 * the client's later events queue behind it; every other client flows. Parked letters are retried automatically a
 * bounded number of times with a doubling backoff, then wait for an operator, who retries or drops them; the queued
 * ones are then applied in order.
 */
public class ProjectionDeadLetters implements SmartLifecycle {

    /** Diagnostics key: how many times the letter was tried. */
    static final String ATTEMPTS = "attempts";
    private static final String PREFIX = "projection:";

    private final EventProcessingConfiguration processing;
    private final int retries;
    private final Duration backoff;
    private final Clock clock;
    private final Consumer<OperatorAct> acts;
    private final ScheduledExecutorService retrier = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("projection-dead-letter-retries").factory());

    /** A projection's letter as the operator sees it. */
    public record Letter(String id, String group, String clientId, long index, String eventId, String type,
                         Instant enqueuedAt, Instant lastTouched, String exception, String message, int attempts,
                         boolean queued) {
    }

    public ProjectionDeadLetters(EventProcessingConfiguration processing, int retries, Duration backoff, Clock clock,
                                 Consumer<OperatorAct> acts) {
        this.processing = processing;
        this.retries = retries;
        this.backoff = backoff;
        this.clock = clock;
        this.acts = acts;
    }

    private volatile boolean running;

    /** Starts the automatic retries, once the application (its event processors included) has started. */
    @Override
    public void start() {
        long period = Math.max(100, backoff.toMillis());
        retrier.scheduleWithFixedDelay(this::retryDue, period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        retrier.shutdownNow();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After everything else: the processors run before their letters are retried. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    /** The processing groups that have a dead-letter queue: every projection (publication has none). */
    public Set<String> groups() {
        return processing.eventProcessors().keySet().stream().filter(g -> processing.deadLetterQueue(g).isPresent())
                         .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether any projection holds the client. */
    public boolean holds(String clientId) {
        return groups().stream().map(this::queue).flatMap(Optional::stream).anyMatch(q -> q.contains(clientId));
    }

    /** Whether the projection holds the client. */
    public boolean holds(String group, String clientId) {
        return queue(group).map(q -> q.contains(clientId)).orElse(false);
    }

    /** Every letter of every projection, parked (the first of each client) and queued. */
    public List<Letter> list() {
        List<Letter> letters = new ArrayList<>();
        for (String group : groups()) {
            queue(group).ifPresent(q -> q.deadLetters().forEach(sequence -> {
                boolean first = true;
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    letters.add(view(group, letter, !first));
                    first = false;
                }
            }));
        }
        return letters;
    }

    public long size() {
        return groups().stream().map(this::queue).flatMap(Optional::stream).mapToLong(SequencedDeadLetterQueue::size).sum();
    }

    /** Retries the client's sequence in the group of {@code id}; true when it was applied. */
    public boolean retry(String id, String operator) {
        Letter letter = find(id);
        boolean applied = processor(letter.group()).process(l -> sequenceOf(l).equals(letter.clientId()));
        applied = applied && !holds(letter.group(), letter.clientId());
        acts.accept(act(letter, operator, "RETRIED", applied ? "APPLIED" : "PARKED", null));
        return applied;
    }

    /** Drops the letter with a reason, then applies the client's queued letters in order; true when none is left. */
    public boolean drop(String id, String operator, String reason) {
        Letter letter = find(id);
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(letter.group()).orElseThrow();
        for (DeadLetter<? extends EventMessage<?>> candidate : queue.deadLetterSequence(letter.clientId())) {
            if (candidate.message().getIdentifier().equals(letter.eventId())) {
                queue.evict(candidate);
                break;
            }
        }
        acts.accept(act(letter, operator, "DROPPED", "DROPPED", reason));
        if (queue.contains(letter.clientId())) {
            processor(letter.group()).process(l -> sequenceOf(l).equals(letter.clientId()));
        }
        return !queue.contains(letter.clientId());
    }

    /** Retries every parked sequence of every projection once. */
    public int retryAll(String operator) {
        int applied = 0;
        for (Letter letter : list()) {
            if (!letter.queued() && retry(letter.id(), operator)) {
                applied++;
            }
        }
        return applied;
    }

    private Letter find(String id) {
        return list().stream().filter(l -> l.id().equals(id)).findFirst()
                     .orElseThrow(() -> new Quarantine.NoSuchLetter(id));
    }

    /** Letters whose backoff has passed and that have retries left, tried again. */
    private void retryDue() {
        try {
            Instant now = clock.instant();
            for (String group : groups()) {
                if (queue(group).map(SequencedDeadLetterQueue::size).orElse(0L) == 0) {
                    continue;
                }
                processor(group).process(letter -> {
                    int attempts = attempts(letter);
                    return attempts <= retries && letter.lastTouched()
                            .plus(backoff.multipliedBy(1L << Math.min(attempts, 20))).isBefore(now);
                });
            }
        } catch (RuntimeException e) {
            // the next round tries again; the letters stay where they are
        }
    }

    private SequencedDeadLetterProcessor<EventMessage<?>> processor(String group) {
        return processing.sequencedDeadLetterProcessor(group).orElseThrow(
                () -> new IllegalStateException("no dead-letter queue for " + group));
    }

    private Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue(String group) {
        return processing.deadLetterQueue(group);
    }

    static int attempts(DeadLetter<?> letter) {
        Object attempts = letter.diagnostics().get(ATTEMPTS);
        return attempts instanceof Number n ? n.intValue() : 0;
    }

    /** The diagnostics of a letter tried once more. */
    public static MetaData tried(DeadLetter<?> letter) {
        return letter.diagnostics().and(ATTEMPTS, attempts(letter) + 1);
    }

    private static String sequenceOf(DeadLetter<? extends EventMessage<?>> letter) {
        Object payload = letter.message().getPayload();
        return payload instanceof ClientEvent client && client.clientId() != null ? client.clientId().toString() : "";
    }

    private Letter view(String group, DeadLetter<? extends EventMessage<?>> letter, boolean queued) {
        Object payload = letter.message().getPayload();
        EventType type = payload.getClass().getAnnotation(EventType.class);
        String typeName = type == null ? payload.getClass().getSimpleName() : type.name() + ".v" + type.revision();
        String clientId = sequenceOf(letter);
        return new Letter(PREFIX + group + ":" + clientId + ":" + letter.message().getIdentifier(), group, clientId, 0,
                          letter.message().getIdentifier(), typeName, letter.enqueuedAt(), letter.lastTouched(),
                          letter.cause().map(c -> c.type()).orElse(null),
                          letter.cause().map(c -> bounded(c.message())).orElse(null), attempts(letter), queued);
    }

    private static String bounded(String message) {
        if (message == null) {
            return null;
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private OperatorAct act(Letter letter, String operator, String action, String outcome, String reason) {
        return new OperatorAct(operator, action, outcome, reason, letter.id(), letter.group(), letter.clientId(),
                               "event store", null, null, letter.type(), "failed", clock.instant());
    }

}
