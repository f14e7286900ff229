package org.stillpoint.contracts.directory;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;

/**
 * A clinic was closed: nothing new is recorded there (no client registered, no session, no referral), and what was
 * recorded there stays readable to those whose role reaches it. A closed clinic does not open again.
 */
@EventType(name = "stillpoint.directory.clinic-closed", revision = 1)
public record ClinicClosed(OrganisationId organisationId, ClinicId clinicId, Actor actor, Instant at)
        implements DirectoryEvent {
}
