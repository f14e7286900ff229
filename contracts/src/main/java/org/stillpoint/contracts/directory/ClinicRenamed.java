package org.stillpoint.contracts.directory;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;

/** A clinic's name changed; its id, which records name it by, stays. */
@EventType(name = "stillpoint.directory.clinic-renamed", revision = 1)
public record ClinicRenamed(OrganisationId organisationId, ClinicId clinicId, String previousName, String name,
                            Actor actor, Instant at) implements DirectoryEvent {
}
