package org.stillpoint.platform.access;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.Set;

/**
 * Where a client belongs: the organisation and the clinic they are registered at.
 *
 * @param erasedAt   when the client was erased (DESIGN §6b); null while they are not
 * @param sharedWith the other clinics of the organisation the client lets read their record now (an active consent of
 *                   scope {@code CLINIC_SHARING} given at each)
 */
public record ClientPlacement(ClientId clientId, OrganisationId organisationId, ClinicId clinicId, Instant erasedAt,
                              Set<ClinicId> sharedWith) {

    public ClientPlacement {
        sharedWith = sharedWith == null ? Set.of() : Set.copyOf(sharedWith);
    }

    public ClientPlacement(ClientId clientId, OrganisationId organisationId, ClinicId clinicId) {
        this(clientId, organisationId, clinicId, null, Set.of());
    }

    public ClientPlacement(ClientId clientId, OrganisationId organisationId, ClinicId clinicId, Instant erasedAt) {
        this(clientId, organisationId, clinicId, erasedAt, Set.of());
    }

    public boolean erased() {
        return erasedAt != null;
    }
}
