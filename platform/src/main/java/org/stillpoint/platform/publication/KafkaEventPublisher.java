package org.stillpoint.platform.publication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.platform.observability.TraceContext;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.record.RecordSigner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes every stored event to the service's Kafka topic, and access events to the access topic: the outbox is the
 * event store itself. Each record of a client also goes to its organisation's topic ({@link OrganisationStreams}).
 * <p>
 * It runs in a tracking processor. Each event of a batch becomes its records; at the batch's last event the processor's
 * interceptor signs the batch's records with one signature ({@link RecordSigner}), sends them asynchronously in order,
 * waits until the broker acknowledged all of them, and only then lets the unit of work commit and the token move.
 * <p>
 * A broker that is away does not fail the batch at once: the segment holds it and sends again what was not
 * acknowledged, after a wait that doubles up to {@link #LONGEST_PAUSE}, for as long as {@code outageHold}; so
 * publication goes on within a second or two of the broker's return (a failed batch would leave the segment to the
 * processor's own backoff, which grows to a minute). A send still unanswered is waited for, not sent again. Past the
 * hold, or once the service is stopping, the batch fails and the processor retries it from the same token; records of
 * that batch the broker had already acknowledged are remembered and not sent twice by the retry.
 */
@ProcessingGroup(KafkaEventPublisher.PROCESSING_GROUP)
public class KafkaEventPublisher implements MessageHandlerInterceptor<EventMessage<?>> {

    public static final String PROCESSING_GROUP = "stillpoint-kafka-publisher";
    private static final String UNSENT = KafkaEventPublisher.class.getName() + ".unsent";
    private static final int REMEMBERED_ACKS = 100_000;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);
    /** The key and subject of an access-log event about no client. */
    public static final String OPERATIONS_KEY = "operations";

    private final KafkaTemplate<String, byte[]> kafka;
    private final ObjectMapper json;
    private final String topic;
    private final String accessTopic;
    private final String source;
    private final Duration acknowledgementTimeout;
    private final Duration outageHold;
    private final CompletableFuture<Void> stopping = new CompletableFuture<>();
    /** The batches held now (one per segment at most), each with the time its hold began. */
    private final Map<Object, Instant> held = new ConcurrentHashMap<>();
    private final RecordSigner signer;
    private final OrganisationStreams organisationStreams;
    private final AtomicLong failedBatches = new AtomicLong();
    private final Set<String> acknowledged = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_ACKS;
                }
            }));

    /**
     * @param topic       the service's topic
     * @param accessTopic the topic of access events ({@link ClientAccessed}, {@link DeadLetterHandled}), which every
     *                    service publishes to
     * @param organisationStreams the organisation topics each record also goes to; null for none
     * @param acknowledgementTimeout how long one round of sends waits for the broker
     * @param outageHold  how long a segment holds a batch the broker did not take and sends it again, before the batch
     *                    fails
     */
    public KafkaEventPublisher(KafkaTemplate<String, byte[]> kafka, ObjectMapper json, String topic, String accessTopic,
                               String source, Duration acknowledgementTimeout, Duration outageHold, RecordSigner signer,
                               OrganisationStreams organisationStreams) {
        this.kafka = kafka;
        this.json = json;
        this.topic = topic;
        this.accessTopic = accessTopic;
        this.source = source;
        this.acknowledgementTimeout = acknowledgementTimeout;
        this.outageHold = outageHold;
        this.signer = signer;
        this.organisationStreams = organisationStreams;
    }

    /** How many rounds of sends the broker did not take since start-up; each was sent again. */
    public long failedBatches() {
        return failedBatches.get();
    }

    /** Since when a batch has been held for a broker that does not take it; null while the broker takes every batch. */
    public Instant holdingSince() {
        return held.values().stream().min(Instant::compareTo).orElse(null);
    }

    /** The service is stopping: a held batch fails now (it is published from its token on the next start). */
    public void stopHolding() {
        stopping.complete(null);
    }

    @EventHandler
    public void publish(Object payload, EventMessage<?> event, UnitOfWork<?> unitOfWork) throws JsonProcessingException {
        if (!(payload instanceof ClientEvent clientEvent)) {
            return;
        }
        String id = event.getIdentifier();
        String aggregateId = null;
        long sequence = -1;
        if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getType() != null) {
            aggregateId = domainEvent.getAggregateIdentifier();
            sequence = domainEvent.getSequenceNumber();
        }
        // an operator's act on a record that named no client is keyed by what it is
        String clientId = clientEvent.clientId() == null ? OPERATIONS_KEY : clientEvent.clientId().toString();
        boolean accessLog = PublishedTypes.accessLog(payload.getClass());
        ProducerRecord<String, byte[]> record = CloudEventHeaders.record(
                accessLog ? accessTopic : topic, clientId, json.writeValueAsBytes(payload), id,
                CloudEventHeaders.typeOf(payload.getClass()), source, event.getTimestamp(), clientId, aggregateId,
                sequence, traceparent(event));
        List<Unsent> records = new ArrayList<>();
        records.add(new Unsent(id, record, false));
        if (organisationStreams != null) {
            for (ProducerRecord<String, byte[]> copy : organisationStreams.copies(payload, aggregateId != null, record,
                                                                                  event.getTimestamp())) {
                records.add(new Unsent(id, copy, true));
            }
        }
        // sent, signed together with the rest of its batch, when the batch's last event has been handled; a retried
        // batch does not send again what the broker acknowledged
        records.stream().filter(unsent -> !acknowledged.contains(unsent.acknowledgement()))
               .forEach(unsent(unitOfWork)::add);
    }

    private static String traceparent(EventMessage<?> event) {
        Object carried = event.getMetaData().get(TraceContext.TRACEPARENT);
        return carried instanceof String text && TraceContext.isValid(text) ? text : null;
    }

    /**
     * At the batch's last event: signs the batch's records with one signature, sends them in order, and lets the batch
     * complete only when every send was acknowledged.
     */
    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        if (!(unitOfWork instanceof BatchingUnitOfWork<?> batch) || batch.isLastMessage()) {
            List<Unsent> records = unsent(unitOfWork);
            try {
                publish(List.copyOf(records));
            } finally {
                records.clear();
            }
        }
        return result;
    }

    /**
     * Sends the batch and waits for every acknowledgement; while the broker does not take it, sends again what it did
     * not acknowledge, for as long as the hold lasts.
     */
    private void publish(List<Unsent> batch) throws Exception {
        Instant holdEnds = Instant.now().plus(outageHold);
        Object hold = new Object();
        Duration pause = FIRST_PAUSE;
        List<Unsent> round = batch;
        try {
            for (int rounds = 1; ; rounds++) {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                try {
                    send(round, sends);
                    awaitAcknowledgements(sends, holdEnds, rounds > 1);
                    Instant since = held.get(hold);
                    if (since != null) {
                        log.info("Kafka took the held batch for {} after {} rounds; held for {} s", topic, rounds,
                                 Duration.between(since, Instant.now()).toSeconds());
                    }
                    return;
                } catch (Exception failed) {
                    failedBatches.incrementAndGet();
                    boolean giveUp = stopping.isDone() || Thread.currentThread().isInterrupted()
                            || Instant.now().plus(pause).isAfter(holdEnds);
                    if (!giveUp) {
                        // what is sent again follows what the broker took of this round
                        awaitSettled(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));
                        giveUp = stoppedWithin(pause);
                    }
                    if (giveUp) {
                        throw failed;
                    }
                    if (held.putIfAbsent(hold, Instant.now()) == null) {
                        log.warn("Kafka did not take a batch for {}; holding it and sending again ({})", topic,
                                 failed.getMessage());
                    }
                    Duration doubled = pause.multipliedBy(2);
                    pause = doubled.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : doubled;
                    round = batch.stream().filter(unsent -> !acknowledged.contains(unsent.acknowledgement()))
                                 .map(Unsent::resendable).toList();
                }
            }
        } finally {
            held.remove(hold);
        }
    }

    /**
     * Signs and sends a round's records, each send's future added to {@code sends}. Throws when the producer refused at
     * once (no metadata within {@code max.block.ms}) or an organisation topic could not be created: the round fails.
     */
    private void send(List<Unsent> records, List<CompletableFuture<?>> sends) throws Exception {
        if (records.isEmpty()) {
            return;
        }
        if (organisationStreams != null) {
            organisationStreams.ensureTopics(records.stream().filter(Unsent::organisationCopy)
                                                    .map(Unsent::record).toList());
        }
        signer.signAll(records.stream().map(Unsent::record).toList());
        for (Unsent unsent : records) {
            sends.add(kafka.send(unsent.record()).thenRun(() -> acknowledged.add(unsent.acknowledgement())));
        }
    }

    /** One record of an event: the service topic's, or a copy on an organisation topic. */
    private record Unsent(String eventId, ProducerRecord<String, byte[]> record, boolean organisationCopy) {

        /** The record to send again: the producer made the one it sent read-only. */
        Unsent resendable() {
            return new Unsent(eventId, new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
                                                            record.key(), record.value(),
                                                            new RecordHeaders(record.headers().toArray())),
                              organisationCopy);
        }

        /** What the broker's acknowledgement of this record is remembered by. */
        String acknowledgement() {
            return eventId + " " + record.topic() + " " + CloudEventHeaders.text(record.headers(), CloudEventHeaders.TYPE);
        }
    }

    private static List<Unsent> unsent(UnitOfWork<?> unitOfWork) {
        return unitOfWork.root().getOrComputeResource(UNSENT, key -> new ArrayList<>());
    }

    /**
     * Waits for every send of a round: a send still unanswered after the acknowledgement timeout is waited for again
     * (the producer is still trying it; sending it again could put it on the topic twice) until the hold ends. A held
     * batch's round (not the first) also ends when the service stops; a first round's sends in flight are waited for,
     * as a stopping service's last batch should be.
     */
    private void awaitAcknowledgements(List<CompletableFuture<?>> sends, Instant holdEnds, boolean held)
            throws Exception {
        CompletableFuture<Void> all = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
        while (true) {
            try {
                CompletableFuture.anyOf(all, held ? stopping : all)
                                 .get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!all.isDone()) {
                    throw new EventPublicationException("the service is stopping; a batch for " + topic
                                                                + " was not acknowledged yet", null);
                }
                all.get();
                return;
            } catch (ExecutionException e) {
                throw new EventPublicationException("Kafka refused or lost a send to " + topic, e.getCause());
            } catch (TimeoutException e) {
                if (Instant.now().isAfter(holdEnds) || stopping.isDone()) {
                    throw new EventPublicationException("Kafka did not acknowledge a batch for " + topic + " within "
                                                                + acknowledgementTimeout, e);
                }
            }
        }
    }

    /** Whether the service began to stop within {@code pause} (which is waited out otherwise). */
    private boolean stoppedWithin(Duration pause) throws InterruptedException {
        try {
            stopping.get(pause.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException goOn) {
            return false;
        } catch (ExecutionException impossible) {
            return true;
        }
    }

    private void awaitSettled(CompletableFuture<Void> all) {
        try {
            all.exceptionally(failed -> null).get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException unsettled) {
            // still unanswered: what is sent again may follow it
        }
    }

    /** A batch could not be published; the processor retries it from its last token. */
    public static final class EventPublicationException extends Exception {
        EventPublicationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
