package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.EventType;
import org.stillpoint.contracts.OrganisationEvent;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.UUID;

/**
 * The copy a client asked for is produced and sealed under their key: the request is answered, and the client may
 * download it {@code downloadsAllowed} times until {@code availableUntil}.
 *
 * @param notes          what the copy holds of the session notes
 * @param resources      how many FHIR resources the bundle holds
 * @param bundleSha256   the SHA-256 of the FHIR bundle as downloaded, in hex: the client can check what they got
 * @param documentSha256 the same of the readable document
 */
@EventType(name = "stillpoint.consent.copy-produced", revision = 1)
public record CopyProduced(
        ClientId clientId,
        UUID requestId,
        OrganisationId organisationId,
        ClinicId clinicId,
        Instant producedAt,
        Instant availableUntil,
        int downloadsAllowed,
        CopyNotes notes,
        int resources,
        String bundleSha256,
        String documentSha256) implements OrganisationEvent {
}
