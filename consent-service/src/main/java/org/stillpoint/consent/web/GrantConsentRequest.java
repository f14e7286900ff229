package org.stillpoint.consent.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.GrantorKind;

import java.time.Instant;
import java.util.Set;

/** The body of {@code POST /api/clients/{clientId}/consents}. */
public record GrantConsentRequest(
        @NotEmpty Set<@NotNull ConsentScope> scopes,
        @NotNull @Valid Form form,
        @NotNull ConsentMethod method,
        @Valid GrantorRequest grantor,
        @Size(max = 200) String witness,
        @Size(max = 4000) String boundaries,
        Instant grantedAt,
        Instant expiresAt,
        @Size(max = 2000) String lateEntryReason,
        @Pattern(regexp = Codes.CODE, message = Codes.CODE_MESSAGE) String clinicId) {

    /** The form text the client saw. */
    public record Form(
            @NotBlank @Size(max = 100) String formId,
            @NotBlank @Size(max = 50) String version,
            @NotNull @Pattern(regexp = Codes.SHA256, message = "must be a SHA-256 as 64 lower-case hex digits") String textSha256) {
    }

    /** Who gave consent; the client when absent. */
    public record GrantorRequest(
            @NotNull GrantorKind kind,
            @Size(max = 200) String name,
            @Size(max = 100) String relationship) {
    }
}
