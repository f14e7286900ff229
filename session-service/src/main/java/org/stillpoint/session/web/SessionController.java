package org.stillpoint.session.web;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.session.SessionNotes;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.command.Write;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.session.command.AmendNote;
import org.stillpoint.session.command.RecordSession;
import org.stillpoint.session.command.ReviseNote;
import org.stillpoint.session.command.SignNote;
import org.stillpoint.session.query.SessionQueries;
import org.stillpoint.session.query.SessionView;
import org.stillpoint.session.query.SessionsProjection;
import org.stillpoint.session.web.SessionResponses.Amendment;
import org.stillpoint.session.web.SessionResponses.Draft;
import org.stillpoint.session.web.SessionResponses.Note;
import org.stillpoint.session.web.SessionResponses.Session;
import org.stillpoint.session.web.SessionResponses.SessionCreated;
import org.stillpoint.session.web.SessionResponses.Sessions;

import java.net.URI;
import java.time.Clock;
import java.util.Set;

/** Sessions of a client over HTTP (DESIGN §7). A write answers once its event is stored and readable here. */
@RestController
@RequestMapping("/api/clients/{clientId}/sessions")
public class SessionController {

    private final ReadYourWrites writes;
    private final SessionQueries queries;
    private final ClientAccess access;
    private final FieldCipher cipher;
    private final Clock clock;

    public SessionController(ReadYourWrites writes, SessionQueries queries, ClientAccess access,
                             FieldCipher cipher, Clock clock) {
        this.writes = writes;
        this.queries = queries;
        this.access = access;
        this.cipher = cipher;
        this.clock = clock;
    }

    @PostMapping
    public ResponseEntity<SessionCreated> record(Caller caller, @PathVariable ClientId clientId,
                                                 @Valid @RequestBody RecordSessionRequest request,
                                                 UriComponentsBuilder uri) {
        ClinicId clinicId = ClientAccess.actingClinic(caller, access.write(caller, clientId, request.consentSequence()),
                                                       request.clinicId());
        SessionId sessionId = SessionId.random();
        NotesRequest notes = request.notes() == null ? new NotesRequest(null, null, null, null, null, null)
                : request.notes();
        return write(new RecordSession(
                sessionId, clientId, clinicId, caller.actor(),
                request.startedAt(), request.durationMinutes(), Set.copyOf(request.modalities()), notes.text(),
                request.consentSequence(), request.lateEntryReason(), clock.instant(), caller.actor()),
                     clientId, sessionId, uri).created(() -> {
            SessionView view = view(clientId, sessionId);
            return new SessionCreated(sessionId.toString(), view.lateEntry(), view.startedAt(), view.recordedAt(),
                                      view.consents());
        });
    }

    @GetMapping
    public Sessions sessions(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        return new Sessions(clientId.toString(), queries.sessionsOf(clientId).stream().map(this::answer).toList());
    }

    @GetMapping("/{sessionId}")
    public Session session(Caller caller, @PathVariable ClientId clientId, @PathVariable SessionId sessionId) {
        access.read(caller, clientId);
        return answer(view(clientId, sessionId));
    }

    @PutMapping("/{sessionId}/note")
    public Session revise(Caller caller, @PathVariable ClientId clientId, @PathVariable SessionId sessionId,
                          @Valid @RequestBody NotesRequest request, UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return write(new ReviseNote(sessionId, clientId, request.text(), clock.instant(), caller.actor()), clientId,
                     sessionId, uri).then(() -> answer(view(clientId, sessionId)));
    }

    @PostMapping("/{sessionId}/signature")
    public ResponseEntity<Session> sign(Caller caller, @PathVariable ClientId clientId, @PathVariable SessionId sessionId,
                                        UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return write(new SignNote(sessionId, clientId, clock.instant(), caller.actor()), clientId, sessionId, uri)
                .created(() -> answer(view(clientId, sessionId)));
    }

    @PostMapping("/{sessionId}/amendments")
    public ResponseEntity<Session> amend(Caller caller, @PathVariable ClientId clientId,
                                         @PathVariable SessionId sessionId,
                                         @Valid @RequestBody AmendNoteRequest request, UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return write(new AmendNote(sessionId, clientId, request.section(), request.text(), request.reason(),
                                   clock.instant(), caller.actor()), clientId, sessionId, uri)
                .created(() -> answer(view(clientId, sessionId)));
    }

    /** A session as answered to a caller allowed to read it, its sealed text opened. */
    Session answer(SessionView v) {
        return new Session(v.sessionId(), v.clientId(), v.clinicId(), v.practitioner(), v.startedAt(),
                           v.durationMinutes(), v.modalities(), v.status(), note(v.notes()),
                           v.drafts().stream().map(d -> new Draft(note(d.notes()), d.replacedAt(), d.replacedBy()))
                            .toList(),
                           v.signedAt(), v.signedBy(),
                           v.amendments().stream().map(a -> new Amendment(a.number(), a.section(),
                                                                           cipher.open(a.text(), SealedFields.AMENDMENT_TEXT).orElse(null),
                                                                           cipher.open(a.reason(), SealedFields.AMENDMENT_REASON).orElse(null),
                                                                           a.at(), a.by())).toList(),
                           v.consents(), v.consentViewSequence(), v.lateEntry(),
                           cipher.open(v.lateEntryReason(), SealedFields.SESSION_LATE_ENTRY_REASON).orElse(null),
                           v.recordedAt(), v.recordedBy());
    }

    private Note note(SessionNotes n) {
        return new Note(cipher.open(n.clientReported(), SealedFields.CLIENT_REPORTED).orElse(null), cipher.open(n.observations(), SealedFields.OBSERVATIONS).orElse(null),
                        cipher.open(n.techniques(), SealedFields.TECHNIQUES).orElse(null), cipher.open(n.clientResponse(), SealedFields.CLIENT_RESPONSE).orElse(null),
                        n.pacing() == null ? null : n.pacing().pauses(),
                        n.pacing() != null && n.pacing().stopSignalUsed(),
                        n.pacing() == null ? null : cipher.open(n.pacing().notes(), SealedFields.PACING_NOTES).orElse(null),
                        n.referral() != null && n.referral().recommended(),
                        n.referral() == null ? null : cipher.open(n.referral().reason(), SealedFields.RECOMMENDATION_REASON).orElse(null));
    }

    private SessionView view(ClientId clientId, SessionId sessionId) {
        return queries.session(clientId, sessionId).orElseThrow(() -> unknownSession(sessionId));
    }

    /** A write of the session, read at its location once the session read model shows it. */
    private Write write(Object command, ClientId clientId, SessionId sessionId, UriComponentsBuilder uri) {
        URI location = uri.cloneBuilder().path("/api/clients/{clientId}/sessions/{sessionId}")
                          .build(clientId.toString(), sessionId.toString());
        return writes.write(command, SessionsProjection.PROCESSOR, clientId, location)
                     .whenMissing(() -> unknownSession(sessionId));
    }

    private static Refusal unknownSession(SessionId sessionId) {
        return Refusal.notFound("session-not-found", "sessionId", "This client has no session " + sessionId + ".");
    }

}
