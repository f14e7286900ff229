package org.stillpoint.consentview;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.problem.Refusal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The consent gate of a service, over its own consent view ({@link ConsentViewListener}).
 * <p>
 * Before it decides, the view must be current for the client: it must have read the client's partition of the consent
 * topic up to the end that partition had when the request arrived, and, when the caller says which consent sequence it
 * has seen, at least that far. It waits for that a bounded time ({@code stillpoint.consent-view.max-wait}); if the view is
 * still behind, or the broker cannot say where the partition ends, the request is refused as retryable
 * ({@code 503 consent-view-behind}) — never decided on a view that may be stale. While one of the client's consent
 * records is parked as a dead letter, the client's history is incomplete: every decision for that client is refused as
 * {@code 503 client-record-held} until an operator releases it, and every other client is decided as usual.
 */
public class KafkaConsentGate implements ConsentGate, ClientDirectory {

    private static final Duration POLL = Duration.ofMillis(20);

    private final Admin admin;
    private final MongoTemplate mongo;
    private final String topic;
    private final Duration wait;
    private final Quarantine quarantine;
    private final String group;
    private volatile int partitions;

    /** @param group the consent view's consumer group, whose held clients are refused */
    public KafkaConsentGate(Admin admin, MongoTemplate mongo, String topic, Duration wait, Quarantine quarantine,
                            String group) {
        this.admin = admin;
        this.mongo = mongo;
        this.topic = topic;
        this.wait = wait;
        this.quarantine = quarantine;
        this.group = group;
    }

    @Override
    public ConsentAssessment assess(ClientId clientId, ClinicId clinicId, Set<ConsentScope> scopes, Instant at,
                                    Long seenSequence) {
        return ConsentGate.assess(current(clientId, seenSequence), clientId, clinicId, scopes, at);
    }

    /** Where the client belongs, from a view that has read the client's partition to its end at request time. */
    @Override
    public Optional<ClientPlacement> find(ClientId clientId) {
        return find(clientId, null);
    }

    /** As {@link #find(ClientId)}, waiting as a consent decision does until the view has read {@code seenSequence}. */
    @Override
    public Optional<ClientPlacement> find(ClientId clientId, Long seenSequence) {
        return placement(clientId, current(clientId, seenSequence));
    }

    /** What the view holds now: no broker round trip, no wait. */
    @Override
    public Optional<ClientPlacement> known(ClientId clientId) {
        return placement(clientId, mongo.findById(clientId.toString(), ClientConsentHistory.class));
    }

    private static Optional<ClientPlacement> placement(ClientId clientId, ClientConsentHistory history) {
        if (history == null || !history.registered()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return Optional.of(new ClientPlacement(
                clientId, OrganisationId.of(history.organisationId()), ClinicId.of(history.clinicId()),
                history.erasedAt(),
                history.consents().stream().filter(p -> p.covers(ConsentScope.CLINIC_SHARING, p.clinicId(), now))
                       .map(p -> ClinicId.of(p.clinicId())).collect(java.util.stream.Collectors.toSet())));
    }

    /** The client's history once the view is current enough for it (null if the client is unknown), or a refusal. */
    private ClientConsentHistory current(ClientId clientId, Long seenSequence) {
        long deadline = System.nanoTime() + wait.toNanos();
        int partition = partitionOf(clientId);
        long end = endOffset(partition);
        while (true) {
            // a held client's records queue behind the one parked, however far the view has read: its answer is the
            // hold (and its view document, which may be what could not be applied, is not read)
            if (quarantine.isHeld(group, clientId.toString())) {
                throw held(clientId);
            }
            long read = readPosition(partition);
            ClientConsentHistory history = mongo.findById(clientId.toString(), ClientConsentHistory.class);
            long applied = history == null ? -1 : history.sequence();
            if (read >= end && (seenSequence == null || applied >= seenSequence)) {
                return history;
            }
            if (System.nanoTime() > deadline) {
                throw Refusal.retryLater("consent-view-behind", null,
                                         "This service's view of the client's consents has not caught up within "
                                                 + wait.toMillis() + " ms (read " + read + " of " + end
                                                 + " records of its partition; consent sequence " + applied
                                                 + (seenSequence == null ? "" : " of " + seenSequence + " seen by the caller")
                                                 + "); nothing was recorded, retry shortly.")
                             .with("consentViewSequence", applied);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Refusal.retryLater("consent-view-behind", null, "Interrupted while waiting for the consent view.");
            }
        }
    }

    /** The partition the client's consent events are on: the producer's default partitioning of the client id key. */
    int partitionOf(ClientId clientId) {
        if (partitions == 0) {
            try {
                partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(wait.toMillis(), TimeUnit.MILLISECONDS)
                                  .get(topic).partitions().size();
            } catch (ExecutionException | TimeoutException e) {
                throw unverifiable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unverifiable(e);
            }
        }
        byte[] key = clientId.toString().getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private long endOffset(int partition) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        try {
            return admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest())).partitionResult(topicPartition)
                        .get(wait.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException | TimeoutException e) {
            throw unverifiable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unverifiable(e);
        }
    }

    private long readPosition(int partition) {
        Document offset = mongo.findById(ConsentViewListener.offsetKey(topic, partition), Document.class,
                                         ConsentViewListener.OFFSETS);
        return offset == null ? 0 : ((Number) offset.get("next")).longValue();
    }

    private static Refusal held(ClientId clientId) {
        return Refusal.retryLater("client-record-held", "clientId",
                                  "A consent record of client " + clientId + " could not be applied and is held for "
                                          + "repair; no decision is made for this client on an incomplete history "
                                          + "until an operator releases it. Nothing was recorded.");
    }

    private Refusal unverifiable(Exception cause) {
        return Refusal.retryLater("consent-view-behind", null,
                                  "Cannot tell whether this service's view of the client's consents is current: the "
                                          + "event broker does not answer (" + cause.getClass().getSimpleName()
                                          + "); nothing was recorded, retry shortly.");
    }
}
