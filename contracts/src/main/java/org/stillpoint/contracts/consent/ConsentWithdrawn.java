package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientEvent;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

import java.time.Instant;
import java.util.Set;

/**
 * The client withdrew some or all scopes of a consent; it takes effect at {@code withdrawnAt}.
 *
 * @param remainingScopes what the consent still covers; empty means the consent has ended
 * @param reason          the reason the client gave, sealed; may be absent
 */
@EventType(name = "stillpoint.consent.withdrawn", revision = 1)
public record ConsentWithdrawn(
        ClientId clientId,
        ConsentId consentId,
        Set<ConsentScope> withdrawnScopes,
        Set<ConsentScope> remainingScopes,
        @Sensitive Sealed reason,
        Instant withdrawnAt,
        Actor recordedBy) implements ClientEvent {

    public ConsentWithdrawn {
        withdrawnScopes = Set.copyOf(withdrawnScopes);
        remainingScopes = Set.copyOf(remainingScopes);
    }

    public boolean ended() {
        return remainingScopes.isEmpty();
    }
}
