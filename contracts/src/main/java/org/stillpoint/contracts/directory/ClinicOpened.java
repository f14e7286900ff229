package org.stillpoint.contracts.directory;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;

/** A clinic of the organisation was opened: from now on clients are registered and care is recorded there. */
@EventType(name = "stillpoint.directory.clinic-opened", revision = 1)
public record ClinicOpened(OrganisationId organisationId, ClinicId clinicId, String name, Actor actor, Instant at)
        implements DirectoryEvent {
}
