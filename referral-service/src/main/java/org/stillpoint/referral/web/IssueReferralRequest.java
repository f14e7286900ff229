package org.stillpoint.referral.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.RecipientKind;
import org.stillpoint.contracts.referral.Urgency;

import java.util.Set;

/**
 * The body of {@code POST /api/clients/{clientId}/referrals}. The clinic, when left out, is the client's own, and when
 * named must be one of the caller's; the referrer is the caller.
 *
 * @param consentSequence the {@code sequence} consent-service answered with when consent was last changed
 */
record IssueReferralRequest(
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be 1-63 lower-case letters, digits or dashes") String clinicId,
        @NotNull @Valid RecipientRequest recipient,
        @NotNull Urgency urgency,
        @NotBlank @Size(max = 4000) String reason,
        @Pattern(regexp = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", message = "must be a session id") String originatingSessionId,
        @NotNull Set<@NotNull InformationCategory> sharedCategories,
        @Size(max = 4000) String emergencyJustification,
        Long consentSequence) {

    /** The professional the referral goes to. */
    public record RecipientRequest(
            @NotNull RecipientKind kind,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 200) String organisation,
            @NotNull @Valid ContactRequest contact) {
    }

    /** How to reach the recipient: at least one of e-mail and phone. */
    public record ContactRequest(
            @Email(regexp = ".+@.+\\..+", message = "must be an e-mail address") @Size(max = 254) String email,
            @Pattern(regexp = "\\+?[0-9 ()-]{6,30}", message = "must be a phone number") String phone) {

        @AssertTrue(message = "needs an e-mail address or a phone number")
        public boolean isReachable() {
            return email != null && !email.isBlank() || phone != null && !phone.isBlank();
        }
    }
}
