package org.stillpoint.platform.access;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;

/**
 * Where a client belongs: the organisation and the clinic they are registered at.
 *
 * @param erasedAt when the client was erased (DESIGN §6b); null while they are not
 */
public record ClientPlacement(ClientId clientId, OrganisationId organisationId, ClinicId clinicId, Instant erasedAt) {

    public ClientPlacement(ClientId clientId, OrganisationId organisationId, ClinicId clinicId) {
        this(clientId, organisationId, clinicId, null);
    }

    public boolean erased() {
        return erasedAt != null;
    }
}
