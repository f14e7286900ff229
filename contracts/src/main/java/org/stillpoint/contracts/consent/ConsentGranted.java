package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

import java.time.Instant;
import java.util.Set;

/**
 * A client (or their guardian) gave consent for the named scopes at a clinic.
 *
 * @param witness    the witness of a verbal consent, sealed; absent otherwise
 * @param boundaries the client's stated boundaries (regions not to be touched, stop signal), sealed; may be absent
 * @param grantedAt  when consent was given; it is active from then
 * @param expiresAt  when it lapses by itself; absent for no expiry
 * @param recordedAt when it was recorded here
 * @param lateEntry  recorded longer after {@code grantedAt} than the late-entry window (24 h by default)
 * @param lateEntryReason why it was recorded late, sealed; present with a late entry
 */
@EventType(name = "stillpoint.consent.granted", revision = 1)
public record ConsentGranted(
        ClientId clientId,
        ConsentId consentId,
        ClinicId clinicId,
        Set<ConsentScope> scopes,
        ConsentForm form,
        ConsentMethod method,
        Grantor grantor,
        @Sensitive Sealed witness,
        @Sensitive Sealed boundaries,
        Instant grantedAt,
        Instant expiresAt,
        Instant recordedAt,
        Actor recordedBy,
        boolean lateEntry,
        @Sensitive Sealed lateEntryReason) implements ClientEvent {

    public ConsentGranted {
        scopes = Set.copyOf(scopes);
    }
}
