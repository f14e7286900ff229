package org.stillpoint.contracts.session;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A session with a client was recorded; its note starts as a draft.
 *
 * @param consents            the consents the session relied on, covering every modality at {@code startedAt}
 * @param consentViewSequence how far the recording service's view of this client's consents had read (the client's
 *                            consent event sequence) when it decided
 * @param lateEntry           recorded longer after the session started than the late-entry window (24 h by default)
 * @param lateEntryReason     why it was recorded late, sealed; present with a late entry
 */
@EventType(name = "stillpoint.session.recorded", revision = 1)
public record SessionRecorded(
        ClientId clientId,
        SessionId sessionId,
        ClinicId clinicId,
        Actor practitioner,
        Instant startedAt,
        int durationMinutes,
        Set<Modality> modalities,
        SessionNotes notes,
        List<ConsentReliance> consents,
        long consentViewSequence,
        boolean lateEntry,
        Instant recordedAt,
        Actor recordedBy,
        @Sensitive Sealed lateEntryReason) implements ClientEvent {

    public SessionRecorded {
        modalities = Set.copyOf(modalities);
        consents = List.copyOf(consents);
    }
}
