package org.stillpoint.consent.command;

import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentScope;

import java.time.Instant;
import java.util.Set;

/** What the aggregate needs to know of one consent to decide on withdrawals and expiry. */
record ConsentState(ClinicId clinicId, Set<ConsentScope> scopes, Instant grantedAt, Instant expiresAt, boolean ended) {

    boolean activeAt(Instant instant) {
        return !ended && !scopes.isEmpty() && (expiresAt == null || instant.isBefore(expiresAt));
    }

    ConsentState withScopes(Set<ConsentScope> remaining) {
        return new ConsentState(clinicId, Set.copyOf(remaining), grantedAt, expiresAt, remaining.isEmpty());
    }

    ConsentState asEnded() {
        return new ConsentState(clinicId, scopes, grantedAt, expiresAt, true);
    }
}
