package org.stillpoint.platform.publication;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.kafka.support.ProducerListener;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.platform.record.SigningKey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The publisher against a producer whose every answer the test gives: a batch the broker does not take is held and
 * what it did not acknowledge is sent again, in order; a send still unanswered is waited for, not sent twice; the
 * hold ends when the service stops or the hold's time is up, and the batch fails then (its token unmoved).
 */
class KafkaEventPublisherTest {

    private static final String TOPIC = "stillpoint.consent.v1";
    /** Answers only when the test says so; the template's close after each send leaves it open, as the real one's. */
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer()) {
                @Override
                public void close(Duration timeout) {
                }
            };
    private final ExecutorService processor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        processor.shutdownNow();
    }

    private KafkaEventPublisher publisher(Duration acknowledgementTimeout, Duration outageHold) {
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new MockProducerFactory<>(() -> producer));
        template.setProducerListener(new ProducerListener<>() {
        });
        return new KafkaEventPublisher(template, new ObjectMapper().registerModule(new JavaTimeModule()), TOPIC,
                                       "stillpoint.access.v1", "/stillpoint/consent-service", acknowledgementTimeout,
                                       outageHold, new RecordSigner(SigningKey.generate("consent-1"), List.of()), null);
    }

    private static EventMessage<?> expiry() {
        return GenericEventMessage.asEventMessage(new ConsentExpired(new ClientId(UUID.randomUUID()), new ConsentId(UUID.randomUUID()),
                                                                     Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                                                     Instant.now(), Instant.now()));
    }

    /** The processor's batch: each event handled, then the interceptor at the last one; done when it returns. */
    private Future<?> batch(KafkaEventPublisher publisher, EventMessage<?>... events) {
        return processor.submit(() -> {
            BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(List.of(events));
            var result = unitOfWork.executeWithResult(() -> {
                EventMessage<?> event = unitOfWork.getMessage();
                publisher.publish(event.getPayload(), event, unitOfWork);
                return publisher.handle(unitOfWork, () -> null);
            }, RollbackConfigurationType.ANY_THROWABLE);
            if (result.isExceptional()) {
                throw new IllegalStateException(result.exceptionResult());
            }
            return null;
        });
    }

    private static List<String> sentIds(List<ProducerRecord<String, byte[]>> sent) {
        return sent.stream().map(r -> CloudEventHeaders.text(r.headers(), CloudEventHeaders.ID)).toList();
    }

    @Test
    void aBatchTheBrokerRefusesIsHeldAndWhatItDidNotAcknowledgeIsSentAgainInOrder() throws Exception {
        KafkaEventPublisher publisher = publisher(Duration.ofSeconds(5), Duration.ofSeconds(30));
        EventMessage<?> first = expiry();
        EventMessage<?> second = expiry();
        EventMessage<?> third = expiry();
        Future<?> done = batch(publisher, first, second, third);

        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 3);
        assertThat(producer.completeNext()).isTrue();
        assertThat(producer.errorNext(new NotEnoughReplicasException("one broker of three"))).isTrue();
        assertThat(producer.errorNext(new NotEnoughReplicasException("one broker of three"))).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 5);
        assertThat(publisher.holdingSince()).as("held, and said so").isNotNull();
        assertThat(done).isNotDone();
        assertThat(sentIds(producer.history()))
                .as("the first was acknowledged; the other two again, in their order")
                .containsExactly(first.getIdentifier(), second.getIdentifier(), third.getIdentifier(),
                                 second.getIdentifier(), third.getIdentifier());
        assertThat(producer.history().get(3).headers().lastHeader(CloudEventHeaders.SIGNATURE))
                .as("what is sent again is signed again").isNotNull();
        producer.completeNext();
        producer.completeNext();

        done.get(5, TimeUnit.SECONDS);
        assertThat(publisher.holdingSince()).isNull();
        assertThat(publisher.failedBatches()).isEqualTo(1);
    }

    @Test
    void aSendStillUnansweredIsWaitedForAndNotSentTwice() throws Exception {
        KafkaEventPublisher publisher = publisher(Duration.ofMillis(50), Duration.ofSeconds(30));
        Future<?> done = batch(publisher, expiry());

        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        // many acknowledgement timeouts pass: the producer is still trying that send
        Thread.sleep(400);
        assertThat(producer.history()).hasSize(1);
        assertThat(done).isNotDone();
        producer.completeNext();

        done.get(5, TimeUnit.SECONDS);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void aHeldBatchFailsAtOnceWhenTheServiceStops() throws Exception {
        KafkaEventPublisher publisher = publisher(Duration.ofSeconds(5), Duration.ofMinutes(5));
        EventMessage<?> event = expiry();
        Future<?> held = batch(publisher, event);
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("away"));
        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.holdingSince() != null);

        publisher.stopHolding();

        assertThatThrownBy(() -> held.get(5, TimeUnit.SECONDS)).hasStackTraceContaining("the service is stopping");
        assertThat(publisher.holdingSince()).isNull();
    }

    @Test
    void aStoppingServiceStillWaitsForTheAcknowledgementsOfItsLastBatch() throws Exception {
        KafkaEventPublisher publisher = publisher(Duration.ofSeconds(5), Duration.ofMinutes(5));
        publisher.stopHolding();
        Future<?> last = batch(publisher, expiry());
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        Thread.sleep(200);
        assertThat(last).as("not given up: nothing was refused").isNotDone();

        producer.completeNext();

        last.get(5, TimeUnit.SECONDS);
        assertThat(publisher.failedBatches()).isZero();
    }

    @Test
    void aHoldEndsWhenItsTimeIsUpAndTheBatchFails() {
        KafkaEventPublisher publisher = publisher(Duration.ofSeconds(5), Duration.ofMillis(500));
        Future<?> held = batch(publisher, expiry());
        // the broker refuses every round
        Thread refusing = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (!producer.errorNext(new NotEnoughReplicasException("away"))) {
                    Thread.onSpinWait();
                }
            }
        });
        try {
            assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(NotEnoughReplicasException.class);
            assertThat(publisher.failedBatches()).as("sent again while the hold lasted").isGreaterThan(1);
            assertThat(publisher.holdingSince()).isNull();
        } finally {
            refusing.interrupt();
        }
    }
}
