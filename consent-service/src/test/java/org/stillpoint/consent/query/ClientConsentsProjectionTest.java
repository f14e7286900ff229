package org.stillpoint.consent.query;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent view from the client's events, over an in-memory wire-protocol store: given the events, the documents
 * they make; given the same events again (a redelivery, a replay), the same documents, byte for byte; and the erasure
 * leaves no personal data in them.
 */
class ClientConsentsProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final Actor PIA = new Actor("pia-practitioner");

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "projection-" + UUID.randomUUID());
    private final List<ClientErased> erasures = new ArrayList<>();
    private final ClientConsentsProjection projection = new ClientConsentsProjection(mongo, List.of(erasures::add));
    private final ClientId robin = ClientId.random();
    private final ConsentId first = ConsentId.random();
    private final ConsentId second = ConsentId.random();
    private final ClinicId harbour = ClinicId.of("harbour-street");
    private final OrganisationId stillwater = OrganisationId.of("stillwater");

    /** An event as stored: its sequence in the client's stream, and its message (whose id the view keeps). */
    record Stored(long sequence, EventMessage<?> message) {
    }

    /** The client's history as stored. */
    private final List<Stored> history = stored(0,
            message(new ClientRegistered(robin, stillwater, harbour, new Sealed("k1", "sealed-details"), T0, PIA)),
            message(granted(first, Set.of(ConsentScope.CRANIOSACRAL_THERAPY, ConsentScope.SOMATOEMOTIONAL_RELEASE),
                            T0.plusSeconds(86_400 * 365))),
            message(granted(second, Set.of(ConsentScope.INFORMATION_SHARING), T0.plusSeconds(86_400 * 30))),
            message(new ConsentWithdrawn(robin, first, Set.of(ConsentScope.SOMATOEMOTIONAL_RELEASE),
                                         Set.of(ConsentScope.CRANIOSACRAL_THERAPY), new Sealed("k1", "sealed-reason"),
                                         T0.plusSeconds(3_600), PIA)),
            message(new ConsentExpired(robin, second, Set.of(ConsentScope.INFORMATION_SHARING),
                                       T0.plusSeconds(86_400 * 30), T0.plusSeconds(86_400 * 30 + 5))));

    @Test
    void theEventsMakeTheClientsConsentDocumentAndItsExpiries() {
        apply(history);

        ClientConsentsView view = mongo.findById(robin.toString(), ClientConsentsView.class);
        assertThat(view.organisationId()).isEqualTo("stillwater");
        assertThat(view.clinicId()).isEqualTo("harbour-street");
        assertThat(view.lastSequence()).isEqualTo(4);
        assertThat(view.consents()).extracting(ConsentView::consentId, ConsentView::status)
                                   .containsExactly(org.assertj.core.groups.Tuple.tuple(first.toString(), ConsentView.ACTIVE),
                                                    org.assertj.core.groups.Tuple.tuple(second.toString(), ConsentView.EXPIRED));
        ConsentView withdrawnFrom = view.consents().getFirst();
        assertThat(withdrawnFrom.activeScopes()).containsExactly(ConsentScope.CRANIOSACRAL_THERAPY);
        assertThat(withdrawnFrom.history()).extracting(ConsentChange::change).containsExactly("GRANTED", "WITHDRAWN");
        assertThat(withdrawnFrom.history()).extracting(ConsentChange::eventId)
                                           .containsExactly(history.get(1).message().getIdentifier(),
                                                            history.get(3).message().getIdentifier());
        assertThat(mongo.findAll(ConsentExpiry.class)).as("the expired consent's expiry is forgotten")
                                                       .extracting(ConsentExpiry::consentId).containsExactly(first.toString());
    }

    @Test
    void theSameEventsAgainChangeNothing() {
        apply(history);
        Map<String, List<Document>> once = documents();

        apply(history);
        apply(history.subList(2, 4));

        assertThat(documents()).isEqualTo(once);
    }

    @Test
    void anEventOutOfItsPlaceIsIgnoredNotAppliedOverALaterOne() {
        apply(history);
        Map<String, List<Document>> once = documents();

        Stored withdrawal = history.get(3);
        projection.on((ConsentWithdrawn) withdrawal.message().getPayload(), 2, withdrawal.message());

        assertThat(documents()).isEqualTo(once);
    }

    @Test
    void theErasureLeavesNoPersonalDataAndRunsTheServicesOwnHandlersEvenOnAReplay() {
        List<Stored> erased = new ArrayList<>(history);
        erased.addAll(stored(history.size(),
                             message(new ErasureRequested(robin, UUID.randomUUID(), stillwater, harbour, "GDPR_ART_17",
                                                          new Sealed("k1", "sealed-why"), T0.plusSeconds(7_200), PIA)),
                             message(new ClientErased(robin, UUID.randomUUID(), stillwater, harbour, "GDPR_ART_17", null,
                                                      null, PIA, new Actor("cole-officer"), T0.plusSeconds(8_000)))));
        apply(erased);

        ClientConsentsView view = mongo.findById(robin.toString(), ClientConsentsView.class);
        assertThat(view.personalDetails()).isNull();
        assertThat(view.erasedAt()).isEqualTo(T0.plusSeconds(8_000));
        assertThat(documents().toString()).doesNotContain("sealed-details", "sealed-reason");
        assertThat(mongo.findAll(ConsentExpiry.class)).isEmpty();
        Map<String, List<Document>> once = documents();

        apply(erased);
        assertThat(documents()).isEqualTo(once);
        assertThat(erasures).as("the key is shredded again on a replay: nothing to undo").hasSize(2);
    }

    private void apply(List<Stored> events) {
        for (Stored stored : events) {
            EventMessage<?> message = stored.message();
            long sequence = stored.sequence();
            switch (message.getPayload()) {
                case ClientRegistered e -> projection.on(e, sequence);
                case ConsentGranted e -> projection.on(e, sequence, message);
                case ConsentWithdrawn e -> projection.on(e, sequence, message);
                case ConsentExpired e -> projection.on(e, sequence, message);
                case ErasureRequested e -> projection.on(e, sequence);
                case ClientErased e -> projection.on(e, sequence);
                default -> throw new IllegalArgumentException(message.getPayloadType().getName());
            }
        }
    }

    private static List<Stored> stored(long first, EventMessage<?>... messages) {
        List<Stored> stored = new ArrayList<>();
        for (EventMessage<?> message : messages) {
            stored.add(new Stored(first + stored.size(), message));
        }
        return List.copyOf(stored);
    }

    private Map<String, List<Document>> documents() {
        return Map.of(ClientConsentsView.COLLECTION,
                      mongo.getCollection(ClientConsentsView.COLLECTION).find().into(new ArrayList<>()),
                      ConsentExpiry.COLLECTION, mongo.getCollection(ConsentExpiry.COLLECTION).find().into(new ArrayList<>()));
    }

    private ConsentGranted granted(ConsentId consent, Set<ConsentScope> scopes, Instant expiresAt) {
        return new ConsentGranted(robin, consent, harbour, scopes, new ConsentForm("cst-ser-intake", "2026-09", "a".repeat(64)),
                                  ConsentMethod.WRITTEN, new Grantor(GrantorKind.CLIENT, null, null), null, null, T0,
                                  expiresAt, T0, PIA, false, null);
    }

    private static EventMessage<?> message(Object payload) {
        return GenericEventMessage.asEventMessage(payload);
    }
}
