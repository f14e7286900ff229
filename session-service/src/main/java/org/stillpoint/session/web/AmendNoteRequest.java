package org.stillpoint.session.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST …/sessions/{sessionId}/amendments}. */
record AmendNoteRequest(
        @Pattern(regexp = "clientReported|observations|techniques|clientResponse|pacing|referral",
                message = "must name a part of the note: clientReported, observations, techniques, clientResponse, pacing or referral")
        String section,
        @NotBlank @Size(max = 4000) String text,
        @NotBlank @Size(max = 2000) String reason) {
}
