package org.stillpoint.contracts.session;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/** A session's note was signed and is locked from now on: only amendments follow. */
@EventType(name = "stillpoint.session.note-signed", revision = 1)
public record SessionNoteSigned(
        ClientId clientId,
        SessionId sessionId,
        Instant signedAt,
        Actor signedBy) implements ClientEvent {
}
