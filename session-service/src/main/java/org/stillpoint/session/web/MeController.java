package org.stillpoint.session.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.session.Modality;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.security.Caller;
import org.stillpoint.session.config.ClientViewProperties;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The client's own sessions (role {@code CLIENT}, DESIGN §7): dates, clinic, duration, modalities and whether the
 * note is signed. The notes themselves only where the client's organisation allows it
 * ({@code stillpoint.me.session-notes}, a list of organisations; none by default): a practitioner's observations are
 * written for care, and an organisation decides how it discloses them.
 */
@RestController
public record MeController(ClientAccess access, SessionAnswers answers, ClientViewProperties view) {

    /** A session as its client sees it; {@code note} is null unless the organisation shows notes. */
    record MySession(String sessionId, String clinicId, Instant startedAt, int durationMinutes, Set<Modality> modalities,
                     String status, Instant signedAt, SessionResponses.Note note) {
    }

    record MySessions(String clientId, boolean notesShown, List<MySession> sessions) {
    }

    @GetMapping("/api/me/sessions")
    public MySessions mine(Caller caller) {
        ClientPlacement self = access.self(caller, AccessAction.READ);
        boolean notes = view.showsNotes(self.organisationId());
        return new MySessions(self.clientId().toString(), notes, answers.sessions(self.clientId()).sessions().stream()
                .map(s -> new MySession(s.sessionId(), s.clinicId(), s.startedAt(), s.durationMinutes(), s.modalities(),
                                        s.status(), s.signedAt(), notes ? s.note() : null))
                .toList());
    }
}
