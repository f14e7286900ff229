package org.stillpoint.contracts.session;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/** The draft note of a session was replaced before signing; the earlier draft stays in the history. */
@EventType(name = "stillpoint.session.note-revised", revision = 1)
public record SessionNoteRevised(
        ClientId clientId,
        SessionId sessionId,
        SessionNotes notes,
        Instant revisedAt,
        Actor revisedBy) implements ClientEvent {
}
