package org.stillpoint.platform.deadletter;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.record.InvalidRecord;
import org.stillpoint.testsupport.InMemoryStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The quarantine's rules, one by one, over an in-memory wire-protocol store: a failed record holds its client and no
 * other; the client's later records queue behind it; a retry or a drop applies them in the client's order and lets go;
 * a record nobody signed is shown but holds nobody; an operator's decision stands when the record is read again.
 */
class QuarantineTest {

    private static final String GROUP = "session-service.consent-view";
    private static final String TOPIC = "stillpoint.consent.v1";

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "quarantine-" + UUID.randomUUID());
    private final List<OperatorAct> acts = new ArrayList<>();
    private final Quarantine quarantine = new Quarantine(mongo, Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"),
                                                                             ZoneOffset.UTC), acts::add);
    private final List<String> applied = new ArrayList<>();
    private final List<String> failing = new ArrayList<>();
    private long offset;

    QuarantineTest() {
        quarantine.handle(GROUP, record -> {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (failing.contains(value)) {
                throw new IllegalStateException("still failing: " + value);
            }
            applied.add(value);
        });
    }

    @Test
    void aFailedRecordHoldsItsClientAndNoOther() {
        DeadLetter parked = quarantine.park(GROUP, record("robin", "consent/1", 0, "robin-0"),
                                            new IllegalStateException("the view's store is away"));

        assertThat(parked.status()).isEqualTo(DeadLetter.Status.PARKED);
        assertThat(parked.reason()).isEqualTo("failed");
        assertThat(parked.attempts()).isEqualTo(1);
        assertThat(quarantine.isHeld(GROUP, "robin")).isTrue();
        assertThat(quarantine.isHeld(GROUP, "kit")).isFalse();
        assertThat(quarantine.isHeld("audit-ingest", "robin")).as("another group").isFalse();
        assertThat(quarantine.held(GROUP, List.of("robin", "kit", "robin"))).containsExactly("robin");
        assertThat(quarantine.openCounts()).containsEntry(GROUP, 1L);
    }

    @Test
    void parkingTheSameRecordAgainCountsAnotherAttemptNotAnotherLetter() {
        ConsumerRecord<String, byte[]> record = record("robin", "consent/1", 0, "robin-0");
        quarantine.park(GROUP, record, new IllegalStateException("once"));
        DeadLetter again = quarantine.park(GROUP, record, new IllegalStateException("twice"));

        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.message()).contains("twice");
        assertThat(quarantine.list(GROUP, true)).hasSize(1);
    }

    @Test
    void laterRecordsQueueBehindTheParkedOneAndARetryAppliesThemInTheClientsOrder() {
        DeadLetter parked = quarantine.park(GROUP, record("robin", "consent/1", 0, "robin-0"),
                                            new IllegalStateException("transient"));
        // the aggregate's sequence 2 arrives before its sequence 1: the release puts it after
        assertThat(quarantine.queue(GROUP, record("robin", "consent/1", 2, "robin-2"))).isTrue();
        assertThat(quarantine.queue(GROUP, record("robin", "consent/1", 1, "robin-1"))).isTrue();
        assertThat(quarantine.list(GROUP, true)).extracting(DeadLetter::status)
                                                .containsExactlyInAnyOrder(DeadLetter.Status.PARKED,
                                                                           DeadLetter.Status.QUEUED,
                                                                           DeadLetter.Status.QUEUED);

        Quarantine.Release release = quarantine.retry(parked.id(), "olive-operator");

        assertThat(release.applied()).isEqualTo(3);
        assertThat(release.held()).isFalse();
        assertThat(applied).containsExactly("robin-0", "robin-1", "robin-2");
        assertThat(quarantine.isHeld(GROUP, "robin")).isFalse();
        assertThat(quarantine.list(GROUP, true)).isEmpty();
        assertThat(acts).singleElement().satisfies(act -> {
            assertThat(act.operator()).isEqualTo("olive-operator");
            assertThat(act.action()).isEqualTo("RETRIED");
            assertThat(act.outcome()).isEqualTo("APPLIED");
            assertThat(act.letterId()).isEqualTo(parked.id());
        });
    }

    @Test
    void aRecordOfAClientNobodyHoldsIsLeftToItsConsumer() {
        assertThat(quarantine.queue(GROUP, record("kit", "consent/2", 0, "kit-0")))
                .as("not held: the consumer applies it itself").isFalse();
        assertThat(quarantine.list(GROUP, true)).isEmpty();
    }

    @Test
    void aRetryThatFailsAgainParksTheRecordAgainAndKeepsTheClientHeld() {
        DeadLetter parked = quarantine.park(GROUP, record("robin", "consent/1", 0, "robin-0"),
                                            new IllegalStateException("broken"));
        quarantine.queue(GROUP, record("robin", "consent/1", 1, "robin-1"));
        failing.add("robin-0");

        Quarantine.Release release = quarantine.retry(parked.id(), "olive-operator");

        assertThat(release.held()).isTrue();
        assertThat(release.parkedAgain().attempts()).isEqualTo(2);
        assertThat(applied).as("nothing overtakes the failed record").isEmpty();
        assertThat(quarantine.isHeld(GROUP, "robin")).isTrue();
        assertThat(acts).extracting(OperatorAct::outcome).containsExactly("PARKED");
    }

    @Test
    void aDropNeedsNoSuccessAppliesTheQueueAndStandsWhenTheRecordIsReadAgain() {
        ConsumerRecord<String, byte[]> poisoned = record("robin", "consent/1", 0, "robin-0");
        DeadLetter parked = quarantine.park(GROUP, poisoned, new IllegalStateException("cannot be read"));
        quarantine.queue(GROUP, record("robin", "consent/1", 1, "robin-1"));
        failing.add("robin-0");

        Quarantine.Release release = quarantine.drop(parked.id(), "olive-operator", "superseded by a corrected record");

        assertThat(release.dropped()).isEqualTo(1);
        assertThat(applied).containsExactly("robin-1");
        assertThat(quarantine.isHeld(GROUP, "robin")).isFalse();
        assertThat(acts).singleElement().satisfies(act -> {
            assertThat(act.action()).isEqualTo("DROPPED");
            assertThat(act.reason()).isEqualTo("superseded by a corrected record");
        });
        DeadLetter readAgain = quarantine.park(GROUP, poisoned, new IllegalStateException("cannot be read"));
        assertThat(readAgain.status()).isEqualTo(DeadLetter.Status.DROPPED);
        assertThat(quarantine.isHeld(GROUP, "robin")).as("the operator's decision stands").isFalse();
        assertThatThrownBy(() -> quarantine.retry(parked.id(), "olive-operator"))
                .isInstanceOf(Quarantine.LetterClosed.class);
        assertThatThrownBy(() -> quarantine.retry("no-such-letter", "olive-operator"))
                .isInstanceOf(Quarantine.NoSuchLetter.class);
    }

    @Test
    void aRecordNobodySignedIsShownAndReportedButHoldsNobody() {
        ConsumerRecord<String, byte[]> forged = record("robin", "consent/1", 0, "forged");
        DeadLetter parked = quarantine.park(GROUP, forged, new InvalidRecord("signature-invalid", "no key of the producer signed it")
                                                    .unauthenticated());

        assertThat(parked.unauthenticated()).isTrue();
        assertThat(parked.reason()).isEqualTo("signature-invalid");
        assertThat(quarantine.isHeld(GROUP, "robin")).as("anyone who can write to the topic would freeze her").isFalse();
        assertThat(quarantine.openCounts()).containsEntry(GROUP, 0L);
        assertThat(quarantine.unauthenticatedCounts()).containsEntry(GROUP, 1L);
        assertThat(acts).singleElement().satisfies(act -> {
            assertThat(act.operator()).isEqualTo(Quarantine.VERIFIER);
            assertThat(act.action()).isEqualTo("REFUSED");
        });
        quarantine.park(GROUP, forged, new InvalidRecord("signature-invalid", "again").unauthenticated());
        assertThat(acts).as("read again: reported once").hasSize(1);
    }

    @Test
    void theDeadLetterTopicCopyIsRememberedPerLetter() {
        DeadLetter parked = quarantine.park(GROUP, record("robin", "consent/1", 0, "robin-0"),
                                            new IllegalStateException("x"));
        assertThat(quarantine.publishedToTopic(parked.id())).isFalse();
        quarantine.markPublishedToTopic(parked.id());
        assertThat(quarantine.publishedToTopic(parked.id())).isTrue();
        assertThat(quarantine.find(parked.id())).map(DeadLetter::id).isEqualTo(Optional.of(parked.id()));
    }

    private ConsumerRecord<String, byte[]> record(String key, String aggregate, long sequence, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.AGGREGATE, aggregate.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SEQUENCE, Long.toString(sequence).getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, "stillpoint.consent.consent-granted.v1".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(TOPIC, 0, offset++, 0L, TimestampType.CREATE_TIME, 0, 0, key,
                                    value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
