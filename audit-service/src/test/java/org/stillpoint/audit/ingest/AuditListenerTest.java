package org.stillpoint.audit.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.stillpoint.audit.ledger.IntegrityFinding;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.ledger.LedgerEntry;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
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
import org.stillpoint.platform.axon.EventJson;
import org.stillpoint.platform.deadletter.Quarantine;
import org.stillpoint.platform.record.CloudEventHeaders;
import org.stillpoint.platform.record.RecordSigner;
import org.stillpoint.platform.record.RecordVerifier;
import org.stillpoint.platform.record.SigningKey;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit's ingest over a store, record by record as its listener gets them, signed as consent-service signs them:
 * given a client's records, its timeline, its place and its ledger links; applied twice, unchanged; a sequence that
 * jumps or repeats is an integrity finding.
 */
class AuditListenerTest {

    private static final String TOPIC = "stillpoint.consent.v1";
    private static final String CIPHERTEXT = Base64.getEncoder().encodeToString(new byte[96]);

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "audit-" + UUID.randomUUID());
    private final ObjectMapper json = EventJson.newMapper();
    private final RecordSigner consentService = new RecordSigner(SigningKey.generate("consent-1"), List.of());
    private final AuditListener listener = new AuditListener(
            mongo, json, new Ledger(mongo, Clock.systemUTC()), Clock.systemUTC(),
            new Quarantine(mongo, Clock.systemUTC(), act -> { }),
            new RecordVerifier(service -> new ImmutableJWKSet<>(consentService.jwks())), List.of());
    private final String clientId = UUID.randomUUID().toString();
    private long offset;

    @Test
    void aClientsRecordsBecomeItsTimelineItsPlaceAndItsLedgerLinks() throws Exception {
        for (ConsumerRecord<String, byte[]> record : history()) {
            listener.on(record);
        }

        assertThat(entries()).extracting(e -> e.getString("type"))
                             .containsExactlyInAnyOrder("stillpoint.consent.client-registered.v1",
                                                        "stillpoint.consent.granted.v1");
        AuditClient placed = mongo.findById(clientId, AuditClient.class);
        assertThat(placed).isNotNull();
        assertThat(placed.organisationId()).isEqualTo("stillwater");
        assertThat(placed.clinicId()).isEqualTo("harbour-street");
        assertThat(mongo.count(new Query(), LedgerEntry.class)).isEqualTo(2);
        assertThat(mongo.findAll(IntegrityFinding.class)).isEmpty();
    }

    @Test
    void everyRecordAppliedTwiceLeavesEveryDocumentAsOnce() throws Exception {
        List<ConsumerRecord<String, byte[]>> records = history();
        records.forEach(listener::on);
        List<Document> entries = entries();
        List<Document> ledger = mongo.findAll(Document.class, mongo.getCollectionName(LedgerEntry.class));

        records.forEach(listener::on);

        assertThat(entries()).isEqualTo(entries);
        assertThat(mongo.findAll(Document.class, mongo.getCollectionName(LedgerEntry.class))).isEqualTo(ledger);
        assertThat(mongo.findAll(IntegrityFinding.class)).as("a redelivery is no finding").isEmpty();
    }

    @Test
    void aSequenceThatJumpsIsAFinding() throws Exception {
        listener.on(record(registered(), 0));
        listener.on(record(granted(), 2));

        assertThat(mongo.findAll(IntegrityFinding.class)).extracting(IntegrityFinding::kind).containsExactly("sequence-gap");
        assertThat(entries()).as("the record is on the timeline all the same").hasSize(2);
    }

    @Test
    void aSequenceDeliveredAgainAsAnotherEventIsAFinding() throws Exception {
        listener.on(record(registered(), 0));
        listener.on(record(granted(), 1));
        listener.on(record(granted(), 1));

        assertThat(mongo.findAll(IntegrityFinding.class)).extracting(IntegrityFinding::kind)
                                                        .containsExactly("duplicate-sequence");
    }

    private List<Document> entries() {
        return mongo.findAll(Document.class, AuditEntry.COLLECTION).stream()
                    .filter(d -> clientId.equals(d.getString("clientId")))
                    .sorted(java.util.Comparator.comparing(d -> d.getString("_id"))).toList();
    }

    private List<ConsumerRecord<String, byte[]>> history() throws Exception {
        return new ArrayList<>(List.of(record(registered(), 0), record(granted(), 1)));
    }

    private ClientRegistered registered() {
        return new ClientRegistered(ClientId.of(clientId), OrganisationId.of("stillwater"),
                                    ClinicId.of("harbour-street"), new Sealed("client/" + clientId + "/1", CIPHERTEXT),
                                    Instant.parse("2026-12-01T10:00:00Z"), new Actor("practitioner-7"));
    }

    private ConsentGranted granted() {
        Instant at = Instant.parse("2026-12-01T10:05:00Z");
        return new ConsentGranted(ClientId.of(clientId), ConsentId.random(), ClinicId.of("harbour-street"),
                                  Set.of(ConsentScope.CRANIOSACRAL_THERAPY),
                                  new ConsentForm("cst-ser-intake", "2026-09", "ab".repeat(32)), ConsentMethod.WRITTEN,
                                  new Grantor(GrantorKind.CLIENT, null, null), null,
                                  new Sealed("client/" + clientId + "/1", CIPHERTEXT), at, null, at,
                                  new Actor("practitioner-7"), false, null);
    }

    /** The record consent-service publishes for {@code payload} at {@code sequence}, signed, as a consumer gets it. */
    private ConsumerRecord<String, byte[]> record(Object payload, long sequence) throws Exception {
        ProducerRecord<String, byte[]> produced = new ProducerRecord<>(
                TOPIC, null, clientId, json.writeValueAsBytes(payload),
                CloudEventHeaders.of(UUID.randomUUID().toString(), CloudEventHeaders.typeOf(payload.getClass()),
                                     "/stillpoint/consent-service", Instant.parse("2026-12-01T10:10:00Z"), clientId,
                                     clientId, sequence));
        consentService.signAll(List.of(produced));
        return new ConsumerRecord<>(TOPIC, 0, offset++, 0L, TimestampType.CREATE_TIME, -1, produced.value().length,
                                    produced.key(), produced.value(), new RecordHeaders(produced.headers().toArray()),
                                    Optional.empty());
    }
}
