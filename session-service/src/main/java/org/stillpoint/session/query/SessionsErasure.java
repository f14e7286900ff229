package org.stillpoint.session.query;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;
import org.stillpoint.platform.erasure.ScrubReadModel;

import java.util.List;

/**
 * An erased client's sessions keep their dates, clinic, practitioner, modalities, consents relied on and signature;
 * the note, its drafts, the amendments' text and reasons and the late-entry reason leave the view.
 */
@Component
class SessionsErasure extends ScrubReadModel<SessionView> {

    public SessionsErasure(MongoTemplate mongo) {
        super(mongo, SessionView.class, SessionsErasure::scrubbed);
    }

    static SessionView scrubbed(SessionView s) {
        return new SessionView(s.sessionId(), s.clientId(), s.clinicId(), s.practitioner(), s.startedAt(),
                               s.durationMinutes(), s.modalities(), null, List.of(), s.status(), s.signedAt(),
                               s.signedBy(), s.amendments().stream().map(a -> new SessionView.Amendment(
                                       a.number(), a.section(), null, null, a.at(), a.by())).toList(),
                               s.consents(), s.consentViewSequence(), s.lateEntry(), null, s.recordedAt(),
                               s.recordedBy(), s.lastSequence());
    }
}
