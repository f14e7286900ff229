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
import org.stillpoint.contracts.SessionId;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.command.Write;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;
import org.stillpoint.session.command.AmendNote;
import org.stillpoint.session.command.RecordSession;
import org.stillpoint.session.command.ReviseNote;
import org.stillpoint.session.command.SignNote;
import org.stillpoint.session.query.SessionsProjection;
import org.stillpoint.session.web.SessionResponses.Session;
import org.stillpoint.session.web.SessionResponses.SessionCreated;
import org.stillpoint.session.web.SessionResponses.Sessions;

import java.net.URI;
import java.time.Clock;
import java.util.Set;

/** Sessions of a client over HTTP (DESIGN §7). A write answers once its event is stored and readable here. */
@RestController
@RequestMapping("/api/clients/{clientId}/sessions")
record SessionController(ReadYourWrites writes, ClientAccess access, SessionAnswers answers, Clock clock) {

    @PostMapping
    public ResponseEntity<SessionCreated> record(Caller caller, @PathVariable ClientId clientId,
                                                 @Valid @RequestBody RecordSessionRequest request,
                                                 UriComponentsBuilder uri) {
        ClinicId clinicId = access.actingClinic(caller, access.write(caller, clientId, request.consentSequence()),
                                                       request.clinicId());
        SessionId sessionId = SessionId.random();
        NotesRequest notes = request.notes() == null ? new NotesRequest(null, null, null, null, null, null)
                : request.notes();
        return write(new RecordSession(
                sessionId, clientId, clinicId, caller.actor(),
                request.startedAt(), request.durationMinutes(), Set.copyOf(request.modalities()), notes.text(),
                request.consentSequence(), request.lateEntryReason(), clock.instant(), caller.actor()),
                     clientId, sessionId, uri).created(() -> answers.created(clientId, sessionId));
    }

    @GetMapping
    public Sessions sessions(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        return answers.sessions(clientId);
    }

    @GetMapping("/{sessionId}")
    public Session session(Caller caller, @PathVariable ClientId clientId, @PathVariable SessionId sessionId) {
        access.read(caller, clientId);
        return answers.session(clientId, sessionId);
    }

    @PutMapping("/{sessionId}/note")
    public Session revise(Caller caller, @PathVariable ClientId clientId, @PathVariable SessionId sessionId,
                          @Valid @RequestBody NotesRequest request, UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return write(new ReviseNote(sessionId, clientId, request.text(), clock.instant(), caller.actor()), clientId,
                     sessionId, uri).then(() -> answers.session(clientId, sessionId));
    }

    @PostMapping("/{sessionId}/signature")
    public ResponseEntity<Session> sign(Caller caller, @PathVariable ClientId clientId, @PathVariable SessionId sessionId,
                                        UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return write(new SignNote(sessionId, clientId, clock.instant(), caller.actor(), caller.has(Role.CLINIC_ADMIN)),
                     clientId, sessionId, uri)
                .created(() -> answers.session(clientId, sessionId));
    }

    @PostMapping("/{sessionId}/amendments")
    public ResponseEntity<Session> amend(Caller caller, @PathVariable ClientId clientId,
                                         @PathVariable SessionId sessionId,
                                         @Valid @RequestBody AmendNoteRequest request, UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return write(new AmendNote(sessionId, clientId, request.section(), request.text(), request.reason(),
                                   clock.instant(), caller.actor()), clientId, sessionId, uri)
                .created(() -> answers.session(clientId, sessionId));
    }

    /** A write of the session, read at its location once the session read model shows it. */
    private Write write(Object command, ClientId clientId, SessionId sessionId, UriComponentsBuilder uri) {
        URI location = uri.cloneBuilder().path("/api/clients/{clientId}/sessions/{sessionId}")
                          .build(clientId.toString(), sessionId.toString());
        return writes.write(command, SessionsProjection.PROCESSOR, clientId, location)
                     .whenMissing(() -> SessionAnswers.unknownSession(sessionId));
    }
}
