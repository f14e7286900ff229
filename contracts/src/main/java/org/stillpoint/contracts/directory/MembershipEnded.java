package org.stillpoint.contracts.directory;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;

/**
 * A membership ended: from {@code endedAt} the member's tokens no longer reach anything by its roles, whatever they
 * still claim (every service refuses them at once).
 *
 * @param endedAt from when the roles no longer hold (the time it was recorded, or a later moment)
 */
@EventType(name = "stillpoint.directory.membership-ended", revision = 1)
public record MembershipEnded(OrganisationId organisationId, String membershipId, String subject, ClinicId clinicId,
                              Instant endedAt, Actor actor, Instant at) implements DirectoryEvent {
}
