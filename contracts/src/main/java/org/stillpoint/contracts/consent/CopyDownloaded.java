package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.UUID;

/**
 * The client downloaded their copy, in one of its forms: an access to their whole record, counted against the downloads
 * the copy allows.
 *
 * @param downloadsLeft how many downloads the copy allows after this one
 */
@EventType(name = "stillpoint.consent.copy-downloaded", revision = 1)
public record CopyDownloaded(
        ClientId clientId,
        UUID requestId,
        OrganisationId organisationId,
        ClinicId clinicId,
        CopyFormat format,
        Instant downloadedAt,
        Actor downloadedBy,
        int downloadsLeft) implements OrganisationEvent {
}
