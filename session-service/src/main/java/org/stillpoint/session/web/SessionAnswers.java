package org.stillpoint.session.web;

import org.springframework.stereotype.Component;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.session.SessionNotes;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.session.query.SessionQueries;
import org.stillpoint.session.query.SessionView;
import org.stillpoint.session.web.SessionResponses.Amendment;
import org.stillpoint.session.web.SessionResponses.Draft;
import org.stillpoint.session.web.SessionResponses.Note;
import org.stillpoint.session.web.SessionResponses.Session;
import org.stillpoint.session.web.SessionResponses.SessionCreated;
import org.stillpoint.session.web.SessionResponses.Sessions;

/**
 * What the session endpoints answer, read from the session read model with the sealed text opened: for a caller the
 * controller has already allowed to read the client's record.
 */
@Component
record SessionAnswers(SessionQueries queries, FieldCipher cipher) {

    /** The client's sessions, oldest first. */
    public Sessions sessions(ClientId clientId) {
        return new Sessions(clientId.toString(), queries.sessionsOf(clientId).stream().map(this::answer).toList());
    }

    /** One session of the client; {@code 404 session-not-found} when the client has no such session. */
    public Session session(ClientId clientId, SessionId sessionId) {
        return answer(view(clientId, sessionId));
    }

    /** The answer to a session just recorded. */
    SessionCreated created(ClientId clientId, SessionId sessionId) {
        SessionView view = view(clientId, sessionId);
        return new SessionCreated(sessionId.toString(), view.lateEntry(), view.startedAt(), view.recordedAt(),
                                  view.consents());
    }

    /**
     * The client's sessions for their copy, oldest first, as the store's cursor yields them; without {@code notes} the
     * text of the notes, their drafts and amendments is left out (the organisation withholds it).
     */
    public java.util.stream.Stream<Session> forCopy(ClientId clientId, boolean notes) {
        return queries.streamOf(clientId).map(this::answer).map(s -> notes ? s : withoutNotes(s));
    }

    private static Session withoutNotes(Session s) {
        return new Session(s.sessionId(), s.clientId(), s.clinicId(), s.practitioner(), s.startedAt(),
                           s.durationMinutes(), s.modalities(), s.status(), null, java.util.List.of(), s.signedAt(),
                           s.signedBy(), s.amendments().stream().map(a -> new Amendment(a.number(), a.section(), null,
                                                                                         null, a.at(), a.by())).toList(),
                           s.consents(), s.consentViewSequence(), s.lateEntry(), s.lateEntryReason(), s.recordedAt(),
                           s.recordedBy());
    }

    /** A session as answered to a caller allowed to read it, its sealed text opened. */
    private Session answer(SessionView v) {
        FieldCipher.Opener sealed = cipher.of(v.clientId());
        return new Session(v.sessionId(), v.clientId(), v.clinicId(), v.practitioner(), v.startedAt(),
                           v.durationMinutes(), v.modalities(), v.status(), note(sealed, v.notes()),
                           v.drafts().stream().map(d -> new Draft(note(sealed, d.notes()), d.replacedAt(), d.replacedBy()))
                            .toList(),
                           v.signedAt(), v.signedBy(),
                           v.amendments().stream().map(a -> new Amendment(a.number(), a.section(),
                                                                           sealed.open(a.text(), SealedFields.AMENDMENT_TEXT).orElse(null),
                                                                           sealed.open(a.reason(), SealedFields.AMENDMENT_REASON).orElse(null),
                                                                           a.at(), a.by())).toList(),
                           v.consents(), v.consentViewSequence(), v.lateEntry(),
                           sealed.open(v.lateEntryReason(), SealedFields.SESSION_LATE_ENTRY_REASON).orElse(null),
                           v.recordedAt(), v.recordedBy());
    }

    private Note note(FieldCipher.Opener sealed, SessionNotes n) {
        return new Note(sealed.open(n.clientReported(), SealedFields.CLIENT_REPORTED).orElse(null), sealed.open(n.observations(), SealedFields.OBSERVATIONS).orElse(null),
                        sealed.open(n.techniques(), SealedFields.TECHNIQUES).orElse(null), sealed.open(n.clientResponse(), SealedFields.CLIENT_RESPONSE).orElse(null),
                        n.pacing() == null ? null : n.pacing().pauses(),
                        n.pacing() != null && n.pacing().stopSignalUsed(),
                        n.pacing() == null ? null : sealed.open(n.pacing().notes(), SealedFields.PACING_NOTES).orElse(null),
                        n.referral() != null && n.referral().recommended(),
                        n.referral() == null ? null : sealed.open(n.referral().reason(), SealedFields.RECOMMENDATION_REASON).orElse(null));
    }

    private SessionView view(ClientId clientId, SessionId sessionId) {
        return queries.session(clientId, sessionId).orElseThrow(() -> unknownSession(sessionId));
    }

    static Refusal unknownSession(SessionId sessionId) {
        return Refusal.notFound("session-not-found", "sessionId", "This client has no session " + sessionId + ".");
    }
}
