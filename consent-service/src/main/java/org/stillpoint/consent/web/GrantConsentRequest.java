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
record GrantConsentRequest(
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
            @NotBlank @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String formId,
            @NotBlank @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String version,
            @NotNull @Pattern(regexp = Codes.SHA256, message = "must be a SHA-256 as 64 lower-case hex digits") String textSha256) {
    }

    /** Who gave consent; the client when absent. */
    public record GrantorRequest(
            @NotNull GrantorKind kind,
            @Size(max = 200) String name,
            @Pattern(regexp = RELATIONSHIPS, message = "must be one of " + RELATIONSHIPS) String relationship) {
    }

    /**
     * A form's id or version: letters, digits, dots, dashes and underscores (kept in clear after an erasure, so no room
     * for words of anyone's choosing).
     */
    static final String IDENTIFIER = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final String IDENTIFIER_MESSAGE = "must be 1 to 64 letters, digits, '.', '-' or '_'";
    /** A guardian's relationship to the client, from a fixed vocabulary: it stays in clear after an erasure. */
    static final String RELATIONSHIPS = "mother|father|parent|legal guardian|legal representative|carer|attorney|court-appointed deputy";
}
