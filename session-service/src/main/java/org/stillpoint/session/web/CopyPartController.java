package org.stillpoint.session.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.copy.CopyGrants;
import org.stillpoint.platform.copy.CopyPart;
import org.stillpoint.session.config.ClientViewProperties;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The sessions part of a client's copy (DESIGN §10), for consent-service holding a grant for it: every session with
 * its note, drafts, signature, amendments and late-entry reason — the notes' text only where the organisation shows
 * notes to clients or a clinic administrator released them for this copy; the first line says which. With
 * {@code ?header=only}, that line alone: what consent-service asks before it makes a copy, to know whether a clinic
 * administrator must decide on the notes first.
 */
@RestController
record CopyPartController(CopyGrants grants, ClientAccess access, SessionAnswers answers, ClientViewProperties view) {

    @GetMapping("/copies/{requestId}/sessions")
    public ResponseEntity<StreamingResponseBody> sessions(@PathVariable UUID requestId,
                                                          @RequestHeader(name = CopyGrants.HEADER, required = false)
                                                          String grant,
                                                          @RequestParam(name = "header", required = false)
                                                          String header) {
        CopyGrants.Reading reading = grants.read(grant, requestId, access);
        ClientPlacement self = reading.client();
        boolean shown = view.showsNotes(self.organisationId());
        boolean notes = shown || reading.grant().notesReleased();
        Map<String, String> said = Map.of("part", "sessions", "notes", shown ? "shown" : notes ? "released" : "withheld");
        return CopyPart.of(said, "only".equals(header) ? Stream.empty() : answers.forCopy(self.clientId(), notes));
    }
}
