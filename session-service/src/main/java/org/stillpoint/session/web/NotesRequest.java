package org.stillpoint.session.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.stillpoint.session.command.NoteText;

/** A session note in a request: only what the client chose to share. */
record NotesRequest(
        @Size(max = 4000) String clientReported,
        @Size(max = 8000) String observations,
        @Size(max = 4000) String techniques,
        @Size(max = 4000) String clientResponse,
        @Valid Pacing pacing,
        @Valid Referral referral) {

    public record Pacing(@Min(0) @Max(100) Integer pauses, boolean stopSignalUsed, @Size(max = 2000) String notes) {
    }

    public record Referral(boolean recommended, @Size(max = 2000) String reason) {
    }

    NoteText text() {
        return new NoteText(clientReported, observations, techniques, clientResponse,
                            pacing == null ? null : pacing.pauses(), pacing != null && pacing.stopSignalUsed(),
                            pacing == null ? null : pacing.notes(), referral != null && referral.recommended(),
                            referral == null ? null : referral.reason());
    }
}
