package org.stillpoint.platform.publication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.record.CloudEventHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The organisation topics (DESIGN §4): each record of a client also goes to {@code <topic>.<organisation>}, which an
 * integrator of that organisation is allowed to read and nobody else's integrator is (Kafka ACLs on literal topic
 * names), with the event's earlier revisions beside it while they are deprecated. The services' own consumers keep
 * reading the service topics, which carry every organisation.
 * <p>
 * An event names its organisation ({@link OrganisationEvent}), or belongs to the organisation its client was registered
 * in, as this service's {@link ClientDirectory} knows it. An event of this service's own records whose client the
 * directory does not know yet fails its batch, which is retried: it is never published to the service topic alone. An
 * operator's act on a parked record goes to the service topic only.
 */
public class OrganisationStreams {

    private static final int REMEMBERED_CLIENTS = 100_000;

    private final ClientDirectory directory;
    private final Admin admin;
    private final TopicSettings.Wanted settings;
    private final Duration timeout;
    private final EarlierRevisions earlierRevisions;
    private final ObjectMapper json;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<ClientId, OrganisationId> organisations = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ClientId, OrganisationId> eldest) {
                    return size() > REMEMBERED_CLIENTS;
                }
            });

    /**
     * @param settings the partitions, replication, {@code min.insync.replicas} and retention of an organisation topic
     *                 this service creates (its topic name is not used)
     */
    public OrganisationStreams(ClientDirectory directory, Admin admin, TopicSettings.Wanted settings, Duration timeout,
                               EarlierRevisions earlierRevisions, ObjectMapper json) {
        this.directory = directory;
        this.admin = admin;
        this.settings = settings;
        this.timeout = timeout;
        this.earlierRevisions = earlierRevisions;
        this.json = json;
    }

    /** The topic of {@code organisation}'s records of {@code topic}: {@code stillpoint.consent.v1.harmony-health}. */
    public static String topic(String topic, OrganisationId organisation) {
        return topic + "." + organisation;
    }

    /**
     * The organisation topic's records of one event: the record itself, then its earlier revisions; none for an event
     * of no organisation.
     *
     * @param record the service topic's record of the event, not signed yet
     * @throws UnknownOrganisationException when the event is one of this service's records and its client's
     *                                      organisation is not known yet
     */
    List<ProducerRecord<String, byte[]>> copies(Object payload, boolean ofRecord, ProducerRecord<String, byte[]> record,
                                                Instant storedAt) throws JsonProcessingException {
        Optional<OrganisationId> organisation = organisationOf(payload, ofRecord);
        if (organisation.isEmpty()) {
            return List.of();
        }
        String topic = topic(record.topic(), organisation.get());
        List<ProducerRecord<String, byte[]>> copies = new ArrayList<>();
        copies.add(new ProducerRecord<>(topic, null, record.key(), record.value(),
                                        new RecordHeaders(record.headers().toArray())));
        for (Object earlier : earlierRevisions.of(payload, storedAt)) {
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            headers.remove(CloudEventHeaders.TYPE);
            headers.add(new RecordHeader(CloudEventHeaders.TYPE, CloudEventHeaders.typeOf(earlier.getClass())
                                                                                  .getBytes(StandardCharsets.UTF_8)));
            copies.add(new ProducerRecord<>(topic, null, record.key(), json.writeValueAsBytes(earlier), headers));
        }
        return copies;
    }

    private Optional<OrganisationId> organisationOf(Object payload, boolean ofRecord) {
        if (PublishedTypes.offOrganisationTopics(payload.getClass())) {
            return Optional.empty();
        }
        if (payload instanceof OrganisationEvent named) {
            if (named.organisationId() != null && named.clientId() != null) {
                organisations.put(named.clientId(), named.organisationId());
            }
            return Optional.ofNullable(named.organisationId());
        }
        if (!ofRecord || !(payload instanceof ClientEvent event) || event.clientId() == null) {
            return Optional.empty();
        }
        OrganisationId known = organisations.get(event.clientId());
        if (known != null) {
            return Optional.of(known);
        }
        OrganisationId found = directory.known(event.clientId()).map(ClientPlacement::organisationId)
                                        .orElseThrow(() -> new UnknownOrganisationException(event.clientId()));
        organisations.put(event.clientId(), found);
        return Optional.of(found);
    }

    /** Creates the organisation topics among {@code records}' that this instance has not seen exist yet. */
    void ensureTopics(List<ProducerRecord<String, byte[]>> records)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<TopicSettings.Wanted> missing = records.stream().map(ProducerRecord::topic).distinct()
                .filter(topic -> !existing.contains(topic))
                .map(topic -> new TopicSettings.Wanted(topic, settings.partitions(), settings.replicas(),
                                                       settings.minInsyncReplicas(), settings.retentionMs()))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        new TopicSettings(admin, missing, false, timeout).createMissing();
        missing.forEach(wanted -> existing.add(wanted.topic()));
    }

    /** The client of one of this service's records is not in its directory yet: the batch is retried. */
    public static final class UnknownOrganisationException extends IllegalStateException {
        UnknownOrganisationException(ClientId clientId) {
            super("The organisation of client " + clientId + " is not known yet; the batch is retried");
        }
    }
}
