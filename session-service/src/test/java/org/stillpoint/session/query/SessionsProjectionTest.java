package org.stillpoint.session.query;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.session.Modality;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionNotes;
import org.stillpoint.contracts.session.SessionRecorded;
import org.stillpoint.testsupport.InMemoryStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sessions view from the session events, over an in-memory wire-protocol store: given the events, the document they
 * make; the same events again (a redelivery, a replay) leave it as it is; an event of an earlier sequence is ignored.
 */
class SessionsProjectionTest {

    private static final Instant STARTED = Instant.parse("2026-12-03T14:00:00Z");
    private static final Actor PIA = new Actor("pia-practitioner");

    private final MongoTemplate mongo = new MongoTemplate(InMemoryStore.client(), "sessions-" + UUID.randomUUID());
    private final SessionsProjection projection = new SessionsProjection(mongo);
    private final ClientId robin = ClientId.random();
    private final SessionId session = SessionId.random();
    private final ConsentId consent = ConsentId.random();

    private final List<Object> history = List.of(
            new SessionRecorded(robin, session, ClinicId.of("harbour-street"), PIA, STARTED, 50,
                                Set.of(Modality.CRANIOSACRAL_THERAPY), notes("Restriction at the occiput"),
                                List.of(new ConsentReliance(consent, 1, Set.of(ConsentScope.CRANIOSACRAL_THERAPY))), 3,
                                true, STARTED.plusSeconds(3 * 86_400), PIA, new Sealed("k1", "sealed-late-reason")),
            new SessionNoteRevised(robin, session, notes("Restriction at the occiput and the sacrum"),
                                   STARTED.plusSeconds(3 * 86_400 + 60), PIA),
            new SessionNoteSigned(robin, session, STARTED.plusSeconds(3 * 86_400 + 120), PIA),
            new SessionNoteAmended(robin, session, 1, "observations", new Sealed("k1", "sealed-amendment"),
                                   new Sealed("k1", "sealed-omitted"), STARTED.plusSeconds(4 * 86_400), PIA));

    @Test
    void theEventsMakeTheSessionsDocument() {
        apply(history);

        SessionView view = mongo.findById(session.toString(), SessionView.class);
        assertThat(view.clientId()).isEqualTo(robin.toString());
        assertThat(view.status()).isEqualTo(SessionView.SIGNED);
        assertThat(view.signedBy()).isEqualTo("pia-practitioner");
        assertThat(view.notes().observations().ciphertext()).isEqualTo("sealed-Restriction at the occiput and the sacrum");
        assertThat(view.drafts()).singleElement()
                                 .satisfies(d -> assertThat(d.notes().observations().ciphertext())
                                         .isEqualTo("sealed-Restriction at the occiput"));
        assertThat(view.amendments()).extracting(SessionView.Amendment::number).containsExactly(1);
        assertThat(view.lateEntry()).isTrue();
        assertThat(view.recordedAt()).as("when it was recorded, not when it happened")
                                     .isEqualTo(STARTED.plusSeconds(3 * 86_400));
        assertThat(view.consents()).extracting(ConsentReliance::consentId).containsExactly(consent);
        assertThat(view.lastSequence()).isEqualTo(3);
    }

    @Test
    void theSameEventsAgainChangeNothing() {
        apply(history);
        List<Document> once = documents();

        apply(history);
        apply(history.subList(1, 3));

        assertThat(documents()).isEqualTo(once);
    }

    @Test
    void anAmendmentForASessionNotRecordedHereIsIgnored() {
        projection.on((SessionNoteAmended) history.get(3), 3);

        assertThat(documents()).isEmpty();
    }

    private void apply(List<Object> events) {
        for (Object event : events) {
            long sequence = history.indexOf(event);
            switch (event) {
                case SessionRecorded e -> projection.on(e, sequence);
                case SessionNoteRevised e -> projection.on(e, sequence);
                case SessionNoteSigned e -> projection.on(e, sequence);
                case SessionNoteAmended e -> projection.on(e, sequence);
                default -> throw new IllegalArgumentException(event.getClass().getName());
            }
        }
    }

    private List<Document> documents() {
        return mongo.getCollection(SessionView.COLLECTION).find().into(new ArrayList<>());
    }

    private static SessionNotes notes(String observations) {
        return new SessionNotes(null, new Sealed("k1", "sealed-" + observations), null, null, null, null);
    }
}
