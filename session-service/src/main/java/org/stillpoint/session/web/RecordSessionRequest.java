package org.stillpoint.session.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.stillpoint.contracts.session.Modality;

import java.time.Instant;
import java.util.Set;

/**
 * The body of {@code POST /api/clients/{clientId}/sessions}. The practitioner is the caller (from the token); the
 * clinic, when left out, is the client's own, and when named must be one of the caller's.
 *
 * @param consentSequence the {@code sequence} consent-service answered with when consent was last changed; the
 *                        service's consent view waits until it has read that far before deciding
 */
record RecordSessionRequest(
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be 1-63 lower-case letters, digits or dashes") String clinicId,
        @NotNull Instant startedAt,
        @NotNull Integer durationMinutes,
        @NotNull Set<@NotNull Modality> modalities,
        @Valid NotesRequest notes,
        Long consentSequence,
        @Size(max = 2000) String lateEntryReason) {
}
