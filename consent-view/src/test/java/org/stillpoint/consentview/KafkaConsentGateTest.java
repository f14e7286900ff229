package org.stillpoint.consentview;

import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.testsupport.InMemoryStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * The consent gate decides only on a view that has read the client's partition to the end it had when the request
 * arrived (and as far as the caller has seen); it waits a bounded time for that, and otherwise refuses as retryable —
 * also when the broker cannot say where the partition ends, and while one of the client's consent records is held.
 * The partition ends come from Kafka's own MockAdminClient; the view is stored in an in-memory wire-protocol store.
 */
class KafkaConsentGateTest {

    private static final String TOPIC = "stillpoint.consent.v1";
    private static final String GROUP = "session-service.consent-view";
    private static final int PARTITIONS = 3;
    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final ClinicId HARBOUR = ClinicId.of("harbour-street");

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "gate-" + UUID.randomUUID());
    private final Quarantine quarantine = new Quarantine(mongo, Clock.systemUTC(), act -> { });
    private final Node broker = new Node(0, "127.0.0.1", 9092);
    private final MockAdminClient admin = new MockAdminClient(List.of(broker), broker);
    private final KafkaConsentGate gate = new KafkaConsentGate(admin, mongo, TOPIC, Duration.ofMillis(300), quarantine,
                                                               GROUP);
    private final ClientId robin = ClientId.random();

    KafkaConsentGateTest() {
        List<TopicPartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartitionInfo(p, broker, List.of(broker), List.of(broker)));
        }
        admin.addTopic(false, TOPIC, partitions, Map.of());
    }

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void theClientsPartitionIsTheOneTheProducerChoosesForItsKey() {
        for (int i = 0; i < 50; i++) {
            ClientId someone = ClientId.random();
            assertThat(gate.partitionOf(someone)).isEqualTo(BuiltInPartitioner.partitionForKey(
                    someone.toString().getBytes(StandardCharsets.UTF_8), PARTITIONS));
        }
    }

    @Test
    void aViewThatHasReadThePartitionToItsEndDecides() {
        stored(granted(1));
        partitionEnd(robin, 7);
        viewRead(robin, 7);

        ConsentAssessment assessment = gate.assess(robin, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                                   T0.plusSeconds(60), null);

        assertThat(assessment.covered()).isTrue();
        assertThat(gate.find(robin)).map(ClientPlacement::clinicId).contains(HARBOUR);
    }

    @Test
    void aViewBehindThePartitionsEndIsRefusedAsRetryableNeverDecidedOn() {
        stored(granted(1));
        partitionEnd(robin, 8);
        viewRead(robin, 7);

        assertThatThrownBy(() -> gate.assess(robin, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                             T0.plusSeconds(60), null))
                .asInstanceOf(type(Refusal.class)).satisfies(refusal -> {
                    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.RETRY_LATER);
                    assertThat(refusal.code()).isEqualTo("consent-view-behind");
                    assertThat(refusal.getMessage()).contains("read 7 of 8");
                });
    }

    @Test
    void aViewThatCatchesUpWithinTheWaitDecides() {
        stored(granted(1));
        partitionEnd(robin, 8);
        viewRead(robin, 7);
        CompletableFuture.runAsync(() -> viewRead(robin, 8), CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));

        assertThat(gate.assess(robin, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY), T0.plusSeconds(60), null)
                       .covered()).isTrue();
    }

    @Test
    void aCallerWhoHasSeenALaterConsentSequenceWaitsForIt() {
        stored(granted(1));
        partitionEnd(robin, 7);
        viewRead(robin, 7);

        assertThatThrownBy(() -> gate.assess(robin, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                             T0.plusSeconds(60), 2L))
                .asInstanceOf(type(Refusal.class))
                .satisfies(refusal -> assertThat(refusal.getMessage()).contains("consent sequence 1 of 2 seen by the caller"));
    }

    @Test
    void whileOneOfTheClientsConsentRecordsIsHeldNothingIsDecidedForThem() {
        stored(granted(1));
        partitionEnd(robin, 7);
        viewRead(robin, 7);
        quarantine.park(GROUP, new ConsumerRecord<>(TOPIC, gate.partitionOf(robin), 6, robin.toString(),
                                                    "{}".getBytes(StandardCharsets.UTF_8)),
                        new IllegalStateException("cannot be applied"));

        assertThatThrownBy(() -> gate.assess(robin, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                             T0.plusSeconds(60), null))
                .asInstanceOf(type(Refusal.class)).satisfies(refusal -> {
                    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.RETRY_LATER);
                    assertThat(refusal.code()).isEqualTo("client-record-held");
                    assertThat(refusal.field()).isEqualTo("clientId");
                });
    }

    @Test
    void aBrokerThatCannotSayWhereThePartitionEndsIsARetryableRefusalButTheStoredViewStillAnswers() {
        stored(granted(1));
        // a broker that cannot describe the topic (here: it has none of that name)
        KafkaConsentGate blind = new KafkaConsentGate(admin, mongo, "stillpoint.consent.v1.elsewhere",
                                                      Duration.ofMillis(300), quarantine, GROUP);

        assertThatThrownBy(() -> blind.find(robin))
                .asInstanceOf(type(Refusal.class)).satisfies(refusal -> {
                    assertThat(refusal.code()).isEqualTo("consent-view-behind");
                    assertThat(refusal.getMessage()).contains("does not answer");
                });
        assertThat(blind.known(robin)).as("what the view holds, with no broker round trip")
                                     .map(ClientPlacement::organisationId).contains(OrganisationId.of("stillwater"));
    }

    @Test
    void anUnknownClientIsNotFoundOnceTheViewIsCurrent() {
        partitionEnd(robin, 0);

        assertThatThrownBy(() -> gate.assess(robin, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                             T0.plusSeconds(60), null))
                .asInstanceOf(type(Refusal.class))
                .satisfies(refusal -> assertThat(refusal.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
        assertThat(gate.find(robin)).isEmpty();
    }

    private ClientConsentHistory granted(long sequence) {
        Actor actor = new Actor("practitioner-1");
        ClientConsentHistory history = ClientConsentHistory.unknown(robin.toString())
                .apply(new ClientRegistered(robin, OrganisationId.of("stillwater"), HARBOUR, new Sealed("k", "c"), T0,
                                            actor), 0, "e0").orElseThrow();
        return history.apply(new ConsentGranted(robin, ConsentId.random(), HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                                new ConsentForm("f", "1", "a".repeat(64)), ConsentMethod.WRITTEN,
                                                new Grantor(GrantorKind.CLIENT, null, null), null, null, T0, null, T0,
                                                actor, false, null), sequence, "e1").orElseThrow();
    }

    private void stored(ClientConsentHistory history) {
        mongo.save(history);
    }

    private void partitionEnd(ClientId clientId, long end) {
        admin.updateEndOffsets(Map.of(new TopicPartition(TOPIC, gate.partitionOf(clientId)), end));
    }

    private void viewRead(ClientId clientId, long next) {
        mongo.save(new Document("_id", ConsentViewListener.offsetKey(TOPIC, gate.partitionOf(clientId)))
                           .append("next", next), ConsentViewListener.OFFSETS);
    }
}
