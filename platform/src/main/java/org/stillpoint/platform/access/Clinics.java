package org.stillpoint.platform.access;

import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;

/** The organisation's clinics, as the directory holds them now: where new records may be made. */
@FunctionalInterface
public interface Clinics {

    /**
     * Refuses ({@code 422 clinic-unknown} or {@code clinic-closed}, naming {@code field}) unless {@code clinicId} is an
     * open clinic of {@code organisation}.
     */
    void requireOpen(OrganisationId organisation, ClinicId clinicId, String field);
}
