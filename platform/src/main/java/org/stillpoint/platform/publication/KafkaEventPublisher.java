package org.stillpoint.platform.publication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.platform.observability.TraceContext;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.record.RecordSigner;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * waits until the broker acknowledged all of them, and only then lets the unit of work commit and the token move. A
 * failed or timed-out send fails the batch, so the processor retries it from the same token. Records of that batch the
 * broker had already acknowledged are remembered and not sent twice by the retry.
 */
@ProcessingGroup(KafkaEventPublisher.PROCESSING_GROUP)
public class KafkaEventPublisher implements MessageHandlerInterceptor<EventMessage<?>> {

    public static final String PROCESSING_GROUP = "stillpoint-kafka-publisher";
    private static final String PENDING = KafkaEventPublisher.class.getName() + ".pending";
    private static final String UNSENT = KafkaEventPublisher.class.getName() + ".unsent";
    private static final int REMEMBERED_ACKS = 100_000;
    /** The key and subject of an access-log event about no client. */
    public static final String OPERATIONS_KEY = "operations";

    private final KafkaTemplate<String, byte[]> kafka;
    private final ObjectMapper json;
    private final String topic;
    private final String accessTopic;
    private final String source;
    private final Duration acknowledgementTimeout;
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
     */
    public KafkaEventPublisher(KafkaTemplate<String, byte[]> kafka, ObjectMapper json, String topic, String accessTopic,
                               String source, Duration acknowledgementTimeout, RecordSigner signer,
                               OrganisationStreams organisationStreams) {
        this.kafka = kafka;
        this.json = json;
        this.topic = topic;
        this.accessTopic = accessTopic;
        this.source = source;
        this.acknowledgementTimeout = acknowledgementTimeout;
        this.signer = signer;
        this.organisationStreams = organisationStreams;
    }

    /** How many batches failed to publish since start-up; each was retried from its token. */
    public long failedBatches() {
        return failedBatches.get();
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
        boolean accessLog = payload instanceof ClientAccessed || payload instanceof DeadLetterHandled;
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
            send(unsent(unitOfWork), pending(unitOfWork));
            awaitAcknowledgements(pending(unitOfWork));
        }
        return result;
    }

    private void send(List<Unsent> records, List<CompletableFuture<?>> sends) throws Exception {
        try {
            if (organisationStreams != null) {
                organisationStreams.ensureTopics(records.stream().filter(Unsent::organisationCopy)
                                                        .map(Unsent::record).toList());
            }
            signer.signAll(records.stream().map(Unsent::record).toList());
            for (Unsent unsent : records) {
                sends.add(kafka.send(unsent.record()).thenRun(() -> acknowledged.add(unsent.acknowledgement())));
            }
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            // the producer refused at once (no metadata within max.block.ms), or an organisation topic could not be
            // created: the batch fails and is retried
            failedBatches.incrementAndGet();
            sends.clear();
            throw e;
        } finally {
            records.clear();
        }
    }

    /** One record of an event: the service topic's, or a copy on an organisation topic. */
    private record Unsent(String eventId, ProducerRecord<String, byte[]> record, boolean organisationCopy) {

        /** What the broker's acknowledgement of this record is remembered by. */
        String acknowledgement() {
            return eventId + " " + record.topic() + " " + CloudEventHeaders.text(record.headers(), CloudEventHeaders.TYPE);
        }
    }

    private static List<Unsent> unsent(UnitOfWork<?> unitOfWork) {
        return unitOfWork.root().getOrComputeResource(UNSENT, key -> new ArrayList<>());
    }

    private static List<CompletableFuture<?>> pending(UnitOfWork<?> unitOfWork) {
        return unitOfWork.root().getOrComputeResource(PENDING, key -> new ArrayList<>());
    }

    private void awaitAcknowledgements(List<CompletableFuture<?>> sends) throws Exception {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                             .get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failedBatches.incrementAndGet();
            throw new EventPublicationException("Kafka refused or lost a send to " + topic, e.getCause());
        } catch (TimeoutException e) {
            failedBatches.incrementAndGet();
            throw new EventPublicationException("Kafka did not acknowledge a batch for " + topic + " within "
                                                        + acknowledgementTimeout, e);
        } finally {
            sends.clear();
        }
    }

    /** A batch could not be published; the processor retries it from its last token. */
    public static final class EventPublicationException extends Exception {
        EventPublicationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
