package org.stillpoint.contracts.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/**
 * A session's note was signed and is locked from now on: only amendments follow. Its author signs it; a clinic admin
 * may sign on the author's behalf, which the event records.
 *
 * @param onBehalfOf the note's author when a clinic admin signed for them; absent when the author signed
 */
@EventType(name = "stillpoint.session.note-signed", revision = 1)
public record SessionNoteSigned(
        ClientId clientId,
        SessionId sessionId,
        Instant signedAt,
        Actor signedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Actor onBehalfOf) implements ClientEvent {

    /** Signed by the note's author. */
    public SessionNoteSigned(ClientId clientId, SessionId sessionId, Instant signedAt, Actor signedBy) {
        this(clientId, sessionId, signedAt, signedBy, null);
    }
}
