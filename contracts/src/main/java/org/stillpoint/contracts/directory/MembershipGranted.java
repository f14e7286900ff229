package org.stillpoint.contracts.directory;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.List;

/**
 * A member of staff was given roles: at a clinic ({@code PRACTITIONER}, {@code CLINIC_ADMIN}) or across the
 * organisation ({@code COMPLIANCE_OFFICER}, {@code INTEGRATOR}, {@code OPERATOR}, {@code ORGANISATION_ADMIN}; no
 * clinic), from a moment, until a moment or until it is ended.
 *
 * @param membershipId the membership, which ends by this id
 * @param subject      the subject of the member's tokens: the only thing about them the directory holds
 * @param clinicId     the clinic, for a clinic's roles; null for the organisation's
 * @param from         from when the roles hold
 * @param until        until when they hold at the latest; null for no end but the membership's ending
 */
@EventType(name = "stillpoint.directory.membership-granted", revision = 1)
public record MembershipGranted(OrganisationId organisationId, String membershipId, String subject, ClinicId clinicId,
                                List<String> roles, Instant from, Instant until, Actor actor, Instant at)
        implements DirectoryEvent {

    public MembershipGranted {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
