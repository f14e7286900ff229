package org.stillpoint.consent.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A client's move to another clinic of the organisation.
 *
 * @param carriedOver the consents, given at the clinic the client leaves and active now, that cover the new clinic too;
 *                    none when absent (the new clinic asks for consent again)
 */
record TransferRequest(@NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,62}$",
                                         message = "is a clinic code: lower-case letters, digits and hyphens")
                       String toClinicId,
                       @NotBlank @Size(max = 2000) String reason,
                       @Size(max = 100) List<@NotNull @Pattern(regexp = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                                                               message = "is a consent id") String> carriedOver) {
}
