package org.stillpoint.platform.access;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;

/** Where a client belongs: the organisation and the clinic they are registered at. */
public record ClientPlacement(ClientId clientId, OrganisationId organisationId, ClinicId clinicId) {
}
