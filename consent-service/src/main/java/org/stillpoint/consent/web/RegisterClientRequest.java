package org.stillpoint.consent.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/**
 * The body of {@code POST /api/clients}. The organisation is the caller's (from the token); {@code organisationId} may
 * be left out, and is refused when it names another.
 */
record RegisterClientRequest(
        @Pattern(regexp = Codes.CODE, message = Codes.CODE_MESSAGE) String organisationId,
        @NotBlank @Pattern(regexp = Codes.CODE, message = Codes.CODE_MESSAGE) String clinicId,
        @NotBlank @Size(max = 200) String givenName,
        @NotBlank @Size(max = 200) String familyName,
        @NotNull @Past LocalDate dateOfBirth,
        @Email @Size(max = 254) String email,
        @Size(max = 40) @Pattern(regexp = "[+0-9 ()-]*", message = "must be a phone number") String phone) {
}
