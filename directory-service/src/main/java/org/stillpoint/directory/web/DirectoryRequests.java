package org.stillpoint.directory.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** The bodies of the directory's requests; each refusal names its field. */
final class DirectoryRequests {

    private static final String CODE = "^[a-z0-9][a-z0-9-]{0,62}$";

    private DirectoryRequests() {
    }

    record OpenClinicRequest(@NotNull @Pattern(regexp = CODE, message = "is a code: lower-case letters, digits and hyphens")
                             String clinicId,
                             @NotBlank @Size(max = 200) String name) {
    }

    record RenameClinicRequest(@NotBlank @Size(max = 200) String name) {
    }

    /** @param clinicId null for the organisation's roles */
    record GrantMembershipRequest(@NotBlank @Size(max = 200) String subject,
                                  @Pattern(regexp = CODE, message = "is a code: lower-case letters, digits and hyphens")
                                  String clinicId,
                                  @NotEmpty List<@NotBlank String> roles, Instant from, Instant until) {
    }

    /** @param endedAt from when; now when absent */
    record EndMembershipRequest(Instant endedAt) {
    }
}
