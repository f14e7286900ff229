package org.stillpoint.contracts.session;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/**
 * A signed note was amended; the original stays as it was.
 *
 * @param number  1 for the first amendment of this note, then 2, 3, …
 * @param section the part of the note the amendment concerns, such as {@code observations}; absent for the note as a whole
 */
@EventType(name = "stillpoint.session.note-amended", revision = 1)
public record SessionNoteAmended(
        ClientId clientId,
        SessionId sessionId,
        int number,
        String section,
        @Sensitive Sealed text,
        @Sensitive Sealed reason,
        Instant amendedAt,
        Actor amendedBy) implements ClientEvent {
}
