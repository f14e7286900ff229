package org.stillpoint.platform.copy;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.UUID;

/**
 * What consent-service lets the other services hand over for one copy of one client's record (the client's right of
 * access, DESIGN §10): that client's part of their store, read on the client's behalf, until {@code expiresAt}.
 *
 * @param notesReleased whether a clinic administrator released the session notes for this copy; without it a copy holds
 *                      the notes only where the organisation shows them to clients
 */
public record CopyGrant(UUID requestId, ClientId clientId, OrganisationId organisationId, boolean notesReleased,
                        Instant expiresAt) {
}
