package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.EventType;

import java.time.Instant;
import java.util.Set;

/**
 * A consent reached its expiry; it covered nothing from {@code expiredAt} on, even before this event was recorded.
 *
 * @param scopes the scopes that lapsed
 */
@EventType(name = "stillpoint.consent.expired", revision = 1)
public record ConsentExpired(
        ClientId clientId,
        ConsentId consentId,
        Set<ConsentScope> scopes,
        Instant expiredAt,
        Instant recordedAt) implements ClientEvent {

    public ConsentExpired {
        scopes = Set.copyOf(scopes);
    }
}
