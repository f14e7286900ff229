package org.stillpoint.delivery.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.delivery.command.Cursors.Cursor;
import org.stillpoint.delivery.command.Redeliveries.Redelivery;
import org.stillpoint.delivery.command.Subscription;
import org.stillpoint.delivery.query.DeliveryLog.Attempt;
import org.stillpoint.delivery.query.DeliveryLog.Outcome;
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.record.InvalidRecord;
import org.stillpoint.platform.record.RecordChecks;
import org.stillpoint.platform.record.RecordChecks.Checked;
import org.stillpoint.platform.record.RecordVerifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Delivers one subscription's records, one at a time, in the order of each partition (so in order per client: a
 * client's records are in one partition). Its consumer, in a group of the subscription's own, shares the partitions out
 * among the instances that run the service; where each partition stands is the subscription's cursor, which moves only
 * after the endpoint took the record, and only from where this worker saw it (a replay moves it under the worker,
 * which then starts again from there). A failing endpoint holds this subscription alone: the worker waits between
 * attempts, polling with its partitions paused so that it keeps them. A stopped or killed instance leaves the cursor
 * at the record it was sending, which the partition's next owner sends again with the same {@code webhook-id}.
 */
final class SubscriptionWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionWorker.class);
    private static final Set<Class<?>> KNOWN = Set.copyOf(PublishedTypes.all());
    private static final ObjectMapper JSON = EventJson.newMapper();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LOOK_FOR_REDELIVERIES = Duration.ofSeconds(1);

    private final String subscriptionId;
    private final Parts parts;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    /** Where each partition this worker holds stands, as it last saw its cursor. */
    private final Map<TopicPartition, Long> expected = new ConcurrentHashMap<>();
    /** Partitions just positioned: the first record read may be past the cursor (offsets need not be contiguous). */
    private final Set<TopicPartition> sought = ConcurrentHashMap.newKeySet();
    private Instant redeliveriesLooked = Instant.EPOCH;

    SubscriptionWorker(String subscriptionId, Parts parts) {
        this.subscriptionId = subscriptionId;
        this.parts = parts;
    }

    /** What to do after a record. */
    private enum Step {
        /** On to the next record. */
        NEXT,
        /** The cursor moved, or a partition changed hands: read again from the cursors. */
        RESEEK,
        /** The subscription stopped delivering, or the service is stopping. */
        STOP
    }

    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public void run() {
        Subscription started = parts.subscriptions().read(subscriptionId);
        if (started == null || !started.delivering()) {
            return;
        }
        try (KafkaConsumer<String, byte[]> c = parts.consumers().apply("stillpoint-delivery-" + subscriptionId)) {
            consumer = c;
            c.subscribe(topics(started), new Positions(c, started));
            while (running) {
                Subscription now = parts.subscriptions().read(subscriptionId);
                if (now == null || !now.delivering() || !now.services().equals(started.services())) {
                    return;
                }
                if (redeliver(c, now) == Step.STOP) {
                    return;
                }
                if (deliver(c, now, c.poll(POLL)) == Step.STOP) {
                    return;
                }
            }
        } catch (WakeupException stopping) {
            if (running) {
                throw stopping;
            }
        } finally {
            consumer = null;
        }
    }

    /** The organisation topics of the subscription's services, created or not yet. */
    private static Pattern topics(Subscription subscription) {
        return Pattern.compile("stillpoint\\.(" + String.join("|", subscription.services()) + ")\\.v1\\."
                                       + Pattern.quote(subscription.organisationId()));
    }

    private Step deliver(KafkaConsumer<String, byte[]> c, Subscription subscription,
                         ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                Step step = next(c, subscription, partition, record);
                if (step == Step.STOP) {
                    return step;
                }
                if (step == Step.RESEEK) {
                    reseek(c);
                    return Step.NEXT;
                }
            }
        }
        return Step.NEXT;
    }

    /** Delivers the record at the partition's cursor and moves the cursor past it. */
    private Step next(KafkaConsumer<String, byte[]> c, Subscription subscription, TopicPartition partition,
                      ConsumerRecord<String, byte[]> record) {
        Long at = expected.get(partition);
        Cursor cursor = parts.cursors().at(subscriptionId, partition.topic(), partition.partition()).orElse(null);
        if (at == null || cursor == null || cursor.next() != at) {
            return Step.RESEEK;
        }
        if (record.offset() < at) {
            return Step.NEXT;
        }
        if (record.offset() > at && !sought.contains(partition)) {
            return Step.RESEEK;
        }
        sought.remove(partition);
        Step step = send(c, subscription, record, false);
        if (step != Step.NEXT) {
            return step;
        }
        if (!parts.cursors().advance(subscriptionId, partition.topic(), partition.partition(), at, record.offset() + 1)) {
            return Step.RESEEK;
        }
        expected.put(partition, record.offset() + 1);
        return Step.NEXT;
    }

    /**
     * Sends a record until the endpoint takes it, answers 410, or has failed for the whole retry period. A record that
     * fails the checks every consumer makes is never sent: the delivery log shows it refused, and delivery goes on.
     */
    private Step send(KafkaConsumer<String, byte[]> c, Subscription subscription, ConsumerRecord<String, byte[]> record,
                      boolean redelivery) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Checked checked = null;
        while (checked == null) {
            try {
                checked = RecordChecks.check(record, KNOWN, JSON, parts.verifier());
            } catch (InvalidRecord invalid) {
                parts.log().add(attempt(record, null, null, 0, redelivery, null, 0, Outcome.REFUSED_RECORD,
                                        "refused: " + invalid.reason() + " (" + invalid.getMessage() + ")", null));
                LOG.warn("Subscription {}: the record at {}/{}@{} was refused ({}) and is not delivered",
                         subscriptionId, record.topic(), record.partition(), record.offset(), invalid.reason());
                return Step.NEXT;
            } catch (RecordVerifier.KeysUnavailable unavailable) {
                Step waited = pause(c, partition, parts.retry().firstWait());
                if (waited != Step.NEXT) {
                    return waited;
                }
            }
        }
        if (!subscription.wants(checked.ceType())) {
            return Step.NEXT;
        }
        byte[] body = StructuredEvent.of(record);
        String webhookId = webhookId(checked.eventId());
        Instant firstFailure = null;
        for (int attempt = 1; ; attempt++) {
            Subscription now = parts.subscriptions().read(subscriptionId);
            if (!running || now == null || !now.delivering()) {
                return Step.STOP;
            }
            Instant at = parts.clock().instant();
            WebhookSender.Answer answer = parts.sender().send(parts.subscriptions().target(now), webhookId, body);
            Outcome outcome = answer.taken() ? Outcome.DELIVERED : answer.gone() ? Outcome.GONE : Outcome.FAILED;
            parts.log().add(attempt(record, checked, webhookId, attempt, redelivery, at, answer.latencyMillis(), outcome,
                                    answer.error(), answer.answer(), answer.status()));
            if (answer.taken()) {
                delivered(now, record, checked, webhookId, attempt, redelivery);
                return Step.NEXT;
            }
            if (answer.gone()) {
                parts.subscriptions().disable(now, answer.said());
                LOG.warn("Subscription {} of {} is disabled: its endpoint answered 410 Gone", subscriptionId,
                         now.organisationId());
                return Step.STOP;
            }
            firstFailure = firstFailure == null ? at : firstFailure;
            if (!Duration.between(firstFailure, parts.clock().instant()).minus(parts.retry().retryFor()).isNegative()) {
                parts.subscriptions().pauseFailing(now, answer.said());
                LOG.error("Subscription {} of {} is paused: its endpoint failed every attempt since {} (last: {}); "
                                  + "resume it once the endpoint is back (POST /api/webhooks/{}/resume)",
                          subscriptionId, now.organisationId(), firstFailure, answer.said(), subscriptionId);
                return Step.STOP;
            }
            Step waited = pause(c, partition, parts.retry().after(attempt));
            if (waited != Step.NEXT) {
                return waited;
            }
        }
    }

    /** The delivery of a client's record is that integrator's access to the client's record: an access event. */
    private void delivered(Subscription subscription, ConsumerRecord<String, byte[]> record, Checked checked,
                           String webhookId, int attempts, boolean redelivery) {
        if (checked.clientId() == null || !ClientId.isId(checked.clientId())) {
            return;
        }
        parts.events().publish(new EventDelivered(ClientId.of(checked.clientId()),
                                                  OrganisationId.of(subscription.organisationId()), subscriptionId,
                                                  subscription.name(), subscription.endpointHost(),
                                                  webhookId, checked.eventId(), checked.ceType(), attempts, redelivery,
                                                  parts.clock().instant()));
    }

    /**
     * Waits before the next attempt without letting the partitions go: polls with them paused. Says {@link Step#STOP}
     * when the subscription stops meanwhile, {@link Step#RESEEK} when the partition changed hands or was rewound.
     */
    private Step pause(KafkaConsumer<String, byte[]> c, TopicPartition partition, Duration wait) {
        Long at = expected.get(partition);
        Instant until = parts.clock().instant().plus(wait);
        c.pause(c.assignment());
        try {
            while (running) {
                Duration left = Duration.between(parts.clock().instant(), until);
                if (left.isNegative() || left.isZero()) {
                    return Step.NEXT;
                }
                ConsumerRecords<String, byte[]> arrived = c.poll(left.compareTo(POLL) < 0 ? left : POLL);
                // partitions assigned meanwhile are not paused: what they gave is read again from their cursors
                for (TopicPartition given : arrived.partitions()) {
                    Long position = expected.get(given);
                    if (position != null) {
                        c.seek(given, position);
                        sought.add(given);
                    }
                }
                Subscription now = parts.subscriptions().read(subscriptionId);
                if (now == null || !now.delivering()) {
                    return Step.STOP;
                }
                if (at == null || !at.equals(expected.get(partition))) {
                    return Step.RESEEK;
                }
                Cursor cursor = parts.cursors().at(subscriptionId, partition.topic(), partition.partition())
                                     .orElse(null);
                if (cursor == null || cursor.next() != at) {
                    return Step.RESEEK;
                }
            }
            return Step.STOP;
        } finally {
            c.resume(c.assignment());
        }
    }

    /** Whether a replay moved the cursor of a partition this worker holds. */
    private boolean rewound() {
        for (Map.Entry<TopicPartition, Long> held : expected.entrySet()) {
            TopicPartition partition = held.getKey();
            Cursor cursor = parts.cursors().at(subscriptionId, partition.topic(), partition.partition()).orElse(null);
            if (cursor != null && cursor.next() != held.getValue()) {
                return true;
            }
        }
        return false;
    }

    /** Every partition this worker holds, read again from its cursor. */
    private void reseek(KafkaConsumer<String, byte[]> c) {
        for (TopicPartition partition : c.assignment()) {
            Cursor cursor = parts.cursors().at(subscriptionId, partition.topic(), partition.partition()).orElse(null);
            if (cursor != null) {
                c.seek(partition, cursor.next());
                expected.put(partition, cursor.next());
                sought.add(partition);
            }
        }
    }

    /**
     * Sends again the stretches asked for of the partitions this worker holds, in order, each once; the cursors stay
     * where they are. Looked for once a second, with the cursors a replay may have moved while no record came.
     */
    private Step redeliver(KafkaConsumer<String, byte[]> c, Subscription subscription) {
        Instant now = parts.clock().instant();
        if (now.isBefore(redeliveriesLooked.plus(LOOK_FOR_REDELIVERIES))) {
            return Step.NEXT;
        }
        redeliveriesLooked = now;
        if (rewound()) {
            reseek(c);
        }
        for (Redelivery redelivery : parts.redeliveries().pending(subscriptionId)) {
            TopicPartition partition = new TopicPartition(redelivery.topic(), redelivery.partition());
            if (!expected.containsKey(partition)) {
                continue;
            }
            Set<TopicPartition> others = new HashSet<>(c.assignment());
            others.remove(partition);
            c.pause(others);
            c.seek(partition, redelivery.from());
            long next = redelivery.from();
            int empty = 0;
            try {
                while (next <= redelivery.to() && empty < 10 && running) {
                    ConsumerRecords<String, byte[]> records = c.poll(POLL);
                    empty = records.isEmpty() ? empty + 1 : 0;
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        if (record.offset() > redelivery.to()) {
                            next = record.offset();
                            break;
                        }
                        Step step = send(c, subscription, record, true);
                        if (step != Step.NEXT) {
                            return step;
                        }
                        next = record.offset() + 1;
                    }
                    c.pause(others);
                }
            } finally {
                c.resume(c.assignment());
                reseek(c);
            }
            if (!running) {
                return Step.STOP;
            }
            parts.redeliveries().done(redelivery);
        }
        return Step.NEXT;
    }

    private String webhookId(String eventId) {
        return "msg_" + subscriptionId.replace("-", "") + "_" + eventId;
    }

    private Attempt attempt(ConsumerRecord<String, byte[]> record, Checked checked, String webhookId, int attempt,
                            boolean redelivery, Instant at, long latency, Outcome outcome, String error,
                            String answer) {
        return attempt(record, checked, webhookId, attempt, redelivery, at, latency, outcome, error, answer, null);
    }

    private Attempt attempt(ConsumerRecord<String, byte[]> record, Checked checked, String webhookId, int attempt,
                            boolean redelivery, Instant at, long latency, Outcome outcome, String error,
                            String answer, Integer status) {
        return new Attempt(UUID.randomUUID().toString(), subscriptionId, webhookId,
                           checked == null ? null : checked.eventId(), checked == null ? null : checked.ceType(),
                           checked == null ? null : checked.clientId(), record.topic(), record.partition(),
                           record.offset(), attempt, redelivery, at == null ? parts.clock().instant() : at, status,
                           latency, outcome, error, answer);
    }

    /**
     * Puts each partition given to this worker at its cursor; a partition without one starts where the subscription
     * does: its first record published at or after the subscription's start, or its end.
     */
    private final class Positions implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> c;
        private final Subscription subscription;

        Positions(KafkaConsumer<String, byte[]> c, Subscription subscription) {
            this.c = c;
            this.subscription = subscription;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> given) {
            if (given.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndTimestamp> byTime = c.offsetsForTimes(
                    given.stream().collect(Collectors.toMap(p -> p, p -> subscription.startFrom().toEpochMilli())));
            Map<TopicPartition, Long> ends = c.endOffsets(given);
            for (TopicPartition partition : given) {
                OffsetAndTimestamp first = byTime.get(partition);
                long start = first != null ? first.offset() : ends.get(partition);
                Cursor cursor = parts.cursors().start(subscriptionId, partition.topic(), partition.partition(), start);
                LOG.info("Subscription {} delivers {} from offset {}", subscriptionId, partition, cursor.next());
                c.seek(partition, cursor.next());
                expected.put(partition, cursor.next());
                sought.add(partition);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> taken) {
            taken.forEach(expected::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(expected::remove);
        }
    }
}
