package org.stillpoint.audit.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.IndexOperations;
import org.springframework.data.mongodb.core.index.IndexResolver;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.stillpoint.audit.ledger.IntegrityFinding;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.ledger.LedgerEntry;
import org.stillpoint.audit.ledger.Verification;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.audit.query.ClientList;
import org.stillpoint.audit.query.ConsentDivergences;
import org.stillpoint.audit.query.CopyRequests;
import org.stillpoint.audit.query.ErasureNotices;
import org.stillpoint.audit.query.EventView;
import org.stillpoint.audit.query.TimelineHead;
import org.stillpoint.audit.query.TimelineSlots;
import org.stillpoint.audit.query.DirectoryChange;
import org.stillpoint.audit.query.WebhookChange;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.contracts.access.RecordsListed;
import org.stillpoint.contracts.access.SubscriptionChanged;
import org.stillpoint.contracts.directory.DirectoryEvent;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.erasure.ErasureHandler;
import org.stillpoint.platform.record.RecordChecks;
import org.stillpoint.platform.record.RecordVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads every topic of the suite, one record at a time, and for each event: appends it to the ledger (once), adds it
 * to its client's audit record (idempotently, by event id), and checks that its aggregate's sequence numbers arrive
 * without holes or conflicting duplicates. The read models can be rebuilt by reading the topics again from the start
 * ({@link #rebuild()}); the ledger is evidence and is never rebuilt.
 * <p>
 * Each record is checked first ({@link RecordChecks}). One that fails, or cannot be applied within its retries, is
 * parked in the {@link Quarantine} and holds its client: that client's later records queue behind it in order, every
 * other client's flow, and the verification reports the dead letters (no "valid" over a stalled ingest).
 */
public class AuditListener extends AbstractConsumerSeekAware {

    public static final String ID = "audit-ingest";
    /** The consumer group, which is also the group the quarantine holds clients for. */
    public static final String GROUP = Verification.INGEST_GROUP;
    private static final Set<Class<?>> TYPES = Set.copyOf(PublishedTypes.all());
    static final String SEQUENCES = "aggregate_sequences";

    private final MongoTemplate mongo;
    private final ObjectMapper json;
    private final Ledger ledger;
    private final Clock clock;
    private final Quarantine quarantine;
    private final RecordVerifier signatures;
    private final List<ErasureHandler> erasure;
    private final TimelineSlots timelines;
    private final List<EventView> views;

    /**
     * @param erasure what the audit does when a client is erased: its copy of the client's key is shredded; the
     *                timeline and the ledger keep the events, whose personal data is sealed (docs/ERASURE.md)
     */
    public AuditListener(MongoTemplate mongo, ObjectMapper json, Ledger ledger, Clock clock, Quarantine quarantine,
                         RecordVerifier signatures, List<ErasureHandler> erasure) {
        this(mongo, json, ledger, clock, quarantine, signatures, erasure, EventView.all(mongo, json));
    }

    /** @param views what the audit keeps from the events besides the timeline and the ledger ({@link EventView}) */
    public AuditListener(MongoTemplate mongo, ObjectMapper json, Ledger ledger, Clock clock, Quarantine quarantine,
                         RecordVerifier signatures, List<ErasureHandler> erasure, List<EventView> views) {
        this.erasure = List.copyOf(erasure);
        this.views = List.copyOf(views);
        this.mongo = mongo;
        this.json = json;
        this.ledger = ledger;
        this.clock = clock;
        this.quarantine = quarantine;
        this.signatures = signatures;
        quarantine.handle(GROUP, this::apply);
        createIndexes();
        LegacyTimelines.move(mongo);
        this.timelines = new TimelineSlots(mongo);
        timelines.placeUnplaced();
    }

    /** A client's timeline is read by client and time, a page at a time; the search finds entries by actor and time. */
    private void createIndexes() {
        IndexOperations indexes = mongo.indexOps(AuditEntry.class);
        IndexResolver.create(mongo.getConverter().getMappingContext()).resolveIndexFor(AuditEntry.class)
                     .forEach(indexes::createIndex);
        for (Class<?> indexed : List.of(ClientList.class, ConsentDivergences.Divergence.class,
                                        ErasureNotices.Notice.class, CopyRequests.Request.class)) {
            IndexOperations more = mongo.indexOps(indexed);
            IndexResolver.create(mongo.getConverter().getMappingContext()).resolveIndexFor(indexed)
                         .forEach(more::createIndex);
        }
    }

    @KafkaListener(id = ID, groupId = GROUP, topics = "#{'${stillpoint.audit.topics}'.split(',')}",
            containerFactory = "stillpointAuditContainerFactory")
    public void on(ConsumerRecord<String, byte[]> record) {
        if (quarantine.isHeld(GROUP, record.key()) && quarantine.queue(GROUP, record)) {
            return;
        }
        apply(record);
    }

    /** Checks and applies one record: the listener's work, and what a release of a held client calls. */
    private void apply(ConsumerRecord<String, byte[]> record) {
        RecordChecks.Checked checked = RecordChecks.check(record, TYPES, json, signatures);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        String eventId = checked.eventId();
        String value = new String(record.value(), StandardCharsets.UTF_8);
        // the ledger first: an entry a reader can see in a timeline always has its ledger hash; a redelivery after a
        // crash between the two finds the ledger done and projects again (idempotent by event id)
        String organisationId = organisationOf(checked);
        Ledger.Outcome appended = ledger.append(eventId, organisationId, checked.clientId(), record.topic(),
                                                record.partition(), record.offset(), headers, value);
        if (checked.clientId() == null) {
            // an operator's act on a record that named no client, a list of clients, a webhook subscription's change,
            // a change of the directory: in the ledger, on no client's timeline; a list is indexed by who opened it,
            // for investigations, and the webhooks' and the directory's changes by organisation
            if (checked.event() instanceof RecordsListed listed) {
                mongo.save(ClientList.of(eventId, listed));
            }
            if (checked.event() instanceof SubscriptionChanged changed) {
                mongo.save(WebhookChange.of(eventId, changed));
            }
            if (checked.event() instanceof DirectoryEvent changed) {
                mongo.save(DirectoryChange.of(eventId, changed));
            }
            return;
        }
        String clientId = checked.clientId();
        if (checked.event() instanceof ClientErased erased) {
            erasure.forEach(handler -> handler.erase(erased));
        }
        project(clientId, Entries.of(eventId, clientId, checked.ceType(), checked.source(), checked.time(),
                                     checked.event(), value), checked.event());
        // the client's events that arrived before its organisation was known are linked now that it is: after the
        // projection, so that an event kept waiting by another instance meanwhile is not left behind
        String placed = organisationId != null ? organisationId : organisationOf(checked);
        if (placed != null) {
            ledger.linkWaiting(clientId, placed);
        }
        switch (appended) {
            case APPENDED, PENDING -> checkSequence(eventId, organisationId, clientId, checked, false);
            // the same event again (a publisher's retry, or a crash after the ledger): its sequence is recorded if
            // it was not yet, and it is no finding
            case REDELIVERED -> checkSequence(eventId, organisationId, clientId, checked, true);
            case CONFLICTING -> find("duplicate-id", organisationId, checked.aggregateId(), clientId, eventId, -1, -1,
                                     "event id " + eventId + " arrived again with different content");
        }
    }

    /**
     * Reads every topic again from its start and writes the read models again from it; the ledger keeps what it has.
     * Each entry keeps its places on its client's timeline (the order the audit first received the events, which a
     * second reading of the topics would not repeat) and the head that counts them: everything else an entry and a
     * client's placement say is written again.
     */
    public void rebuild() {
        mongo.updateMulti(new Query(), new Update().unset("organisationId").unset("clinicId").unset("erasedAt"),
                          AuditClient.class);
        createIndexes();
        seekToBeginning();
    }

    /**
     * Places the client (where they belong, when they were erased), then adds the entry as a document of its own: a
     * redelivery finds it there by its event id. In that order, so that a crash between the two leaves nothing a
     * redelivery would not do again.
     */
    private void project(String clientId, AuditEntry entry, Object event) {
        AuditClient client = mongo.findById(clientId, AuditClient.class);
        String organisationId = client == null ? null : client.organisationId();
        String clinicId = client == null ? null : client.clinicId();
        Instant erasedAt = client == null ? null : client.erasedAt();
        if (event instanceof ClientRegistered registered) {
            organisationId = registered.organisationId().toString();
            clinicId = registered.clinicId().toString();
        } else if (event instanceof ClientTransferred transferred) {
            // one client, one timeline: they belong to the clinic they moved to
            clinicId = transferred.toClinicId().toString();
        } else if (organisationId == null && event instanceof OrganisationEvent placed && placed.organisationId() != null) {
            // an access to a client whose registration has not been read yet says where they belong
            organisationId = placed.organisationId().toString();
            clinicId = event instanceof ClientAccessed accessed && accessed.clinicId() != null
                    ? accessed.clinicId().toString() : clinicId;
        }
        if (event instanceof ClientErased && erasedAt == null) {
            erasedAt = entry.occurredAt();
        }
        boolean moved = client == null || !Objects.equals(organisationId, client.organisationId())
                || !Objects.equals(clinicId, client.clinicId()) || !Objects.equals(erasedAt, client.erasedAt());
        if (moved) {
            // the placement's fields only: the timeline's head beside them is the timeline's to grow
            mongo.upsert(Query.query(Criteria.where("_id").is(clientId)),
                         new Update().set("organisationId", organisationId).set("clinicId", clinicId)
                                     .set("erasedAt", erasedAt), AuditClient.class);
        }
        // the same event again finds itself on the timeline: there once
        timelines.add(entry, client == null || client.timeline() == null ? TimelineHead.EMPTY : client.timeline());
        AuditClient placed = new AuditClient(clientId, organisationId, clinicId, erasedAt, null);
        views.forEach(view -> view.apply(event, entry, placed));
    }

    /** Sequence numbers of an aggregate must arrive 0, 1, 2, ... : a hole or a repeat is an integrity finding. */
    private void checkSequence(String eventId, String organisationId, String clientId, RecordChecks.Checked checked,
                               boolean redelivered) {
        String aggregateId = checked.aggregateId();
        if (aggregateId == null || checked.sequence() == null) {
            return;
        }
        long sequence = checked.sequence();
        Document last = mongo.findById(aggregateId, Document.class, SEQUENCES);
        long expected = last == null ? 0 : last.getLong("last") + 1;
        if (sequence > expected) {
            find("sequence-gap", organisationId, aggregateId, clientId, eventId, expected, sequence,
                 "aggregate " + aggregateId + " jumped from sequence " + (expected - 1) + " to " + sequence
                         + ": events " + expected + ".." + (sequence - 1) + " never arrived");
        } else if (sequence < expected) {
            if (!redelivered) {
                find("duplicate-sequence", organisationId, aggregateId, clientId, eventId, expected, sequence,
                     "aggregate " + aggregateId + " delivered sequence " + sequence + " again as another event, " + eventId);
            }
            return;
        }
        mongo.save(new Document("_id", aggregateId).append("last", sequence).append("clientId", clientId), SEQUENCES);
    }

    private void find(String kind, String organisationId, String aggregateId, String clientId, String eventId,
                      long expected, long sequence, String detail) {
        mongo.save(new IntegrityFinding(kind + ":" + eventId, kind, organisationId, aggregateId, clientId, eventId,
                                        expected, sequence, detail, clock.instant()));
    }

    /**
     * Whose chain the record goes into: the organisation the event names (a registration, a referral, an access), else
     * its client's as the audit has read it; {@link LedgerEntry#OPERATIONS} for an operator's act that names no client
     * the audit has placed; null when the client's organisation is not known yet.
     */
    private String organisationOf(RecordChecks.Checked checked) {
        if (checked.event() instanceof OrganisationEvent event && event.organisationId() != null) {
            return event.organisationId().toString();
        }
        if (checked.clientId() == null) {
            return LedgerEntry.OPERATIONS;
        }
        String placed = AuditQueries.organisationOf(mongo, checked.clientId()).orElse(null);
        // an operator's act on a record keyed by a client the audit has not placed (often no client at all: the key
        // of an unreadable record) does not wait for a registration that may never come
        return placed == null && checked.event() instanceof DeadLetterHandled ? LedgerEntry.OPERATIONS : placed;
    }
}
