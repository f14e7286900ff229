package org.stillpoint.session.query;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionRecorded;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builds {@link SessionView} from the session events. Idempotent (each document remembers the last event sequence it
 * applied) and takes every time from the events, so a replay rebuilds the same documents.
 */
@Component
@ProcessingGroup(SessionsProjection.PROCESSOR)
public record SessionsProjection(MongoTemplate mongo) {

    public static final String PROCESSOR = "client-sessions";

    @EventHandler
    void on(SessionRecorded event, @SequenceNumber long sequence) {
        // the first time this event is applied; a redelivery finds it there and changes nothing
        try {
            mongo.insert(new SessionView(event.sessionId().toString(), event.clientId().toString(),
                                         event.clinicId().toString(), event.practitioner().subject(), event.startedAt(),
                                         event.durationMinutes(), event.modalities(), event.notes(), List.of(),
                                         SessionView.DRAFT, null, null, List.of(), event.consents(),
                                         event.consentViewSequence(), event.lateEntry(), event.lateEntryReason(), event.recordedAt(),
                                         event.recordedBy().subject(), sequence));
        } catch (DuplicateKeyException applied) {
            // applied before
        }
    }

    @EventHandler
    void on(SessionNoteRevised event, @SequenceNumber long sequence) {
        update(event.sessionId().toString(), sequence, v -> {
            List<SessionView.Draft> drafts = new ArrayList<>(v.drafts());
            drafts.add(new SessionView.Draft(v.notes(), event.revisedAt(), event.revisedBy().subject()));
            return new SessionView(v.sessionId(), v.clientId(), v.clinicId(), v.practitioner(), v.startedAt(),
                                   v.durationMinutes(), v.modalities(), event.notes(), drafts, v.status(), v.signedAt(),
                                   v.signedBy(), v.amendments(), v.consents(), v.consentViewSequence(), v.lateEntry(), v.lateEntryReason(),
                                   v.recordedAt(), v.recordedBy(), sequence);
        });
    }

    @EventHandler
    void on(SessionNoteSigned event, @SequenceNumber long sequence) {
        update(event.sessionId().toString(), sequence, v -> new SessionView(
                v.sessionId(), v.clientId(), v.clinicId(), v.practitioner(), v.startedAt(), v.durationMinutes(),
                v.modalities(), v.notes(), v.drafts(), SessionView.SIGNED, event.signedAt(), event.signedBy().subject(),
                v.amendments(), v.consents(), v.consentViewSequence(), v.lateEntry(), v.lateEntryReason(), v.recordedAt(), v.recordedBy(),
                sequence));
    }

    @EventHandler
    void on(SessionNoteAmended event, @SequenceNumber long sequence) {
        update(event.sessionId().toString(), sequence, v -> {
            List<SessionView.Amendment> amendments = new ArrayList<>(v.amendments());
            amendments.add(new SessionView.Amendment(event.number(), event.section(), event.text(), event.reason(),
                                                     event.amendedAt(), event.amendedBy().subject()));
            return new SessionView(v.sessionId(), v.clientId(), v.clinicId(), v.practitioner(), v.startedAt(),
                                   v.durationMinutes(), v.modalities(), v.notes(), v.drafts(), v.status(),
                                   v.signedAt(), v.signedBy(), amendments, v.consents(), v.consentViewSequence(),
                                   v.lateEntry(), v.lateEntryReason(), v.recordedAt(), v.recordedBy(), sequence);
        });
    }

    @ResetHandler
    void reset() {
        mongo.dropCollection(SessionView.class);
    }

    private void update(String sessionId, long sequence, UnaryOperator<SessionView> change) {
        SessionView view = mongo.findById(sessionId, SessionView.class);
        if (view == null || sequence <= view.lastSequence()) {
            return;
        }
        mongo.save(change.apply(view));
    }
}
