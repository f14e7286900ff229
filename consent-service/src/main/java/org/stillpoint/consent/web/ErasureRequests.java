package org.stillpoint.consent.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The bodies and answers of the erasure endpoints. What stays in clear after an erasure is from a fixed vocabulary
 * (docs/ERASURE.md): the legal basis is an article of the GDPR or UK GDPR, the override a named ground with an optional
 * reference number — no words of anyone's choosing, so no name can hide in them. The reasons in words are sealed.
 */
final class ErasureRequests {

    /** An article of erasure: {@code GDPR Art. 17(1)(a)} to {@code (f)}, or the same of the UK GDPR. */
    static final String LEGAL_BASIS = "(UK )?GDPR Art\\. 17\\(1\\)\\([a-f]\\)";
    /**
     * A ground for erasing inside the retention period, and a reference number if any: {@code Court order ref. 2026/114},
     * {@code No retention duty}.
     */
    static final String LEGAL_OVERRIDE = "(Court order|Regulator direction|Legal advice|No retention duty|Client instruction)"
            + "( ref\\. [0-9][0-9A-Za-z./-]{0,31})?";

    private ErasureRequests() {
    }

    /**
     * The body of {@code POST /api/clients/{clientId}/erasure-requests}.
     *
     * @param legalBasis the ground, a short reference kept in clear ({@code GDPR Art. 17(1)(b)}): no personal data
     * @param reason     why, in the requester's words; sealed with the client's key, so erased with the client
     */
    record Create(@NotBlank @Pattern(regexp = LEGAL_BASIS, message = "must be GDPR Art. 17(1)(a) to (f), or the same "
            + "of the UK GDPR") String legalBasis, @NotBlank @Size(max = 2000) String reason) {
    }

    /**
     * The body of {@code POST …/erasure-requests/{requestId}/approval}.
     *
     * @param justification the approver's reasoning; sealed with the client's key
     * @param legalOverride the legal ground for erasing inside the retention period, from {@link #LEGAL_OVERRIDE}, kept
     *                      in clear; without it an approval inside the period is refused
     */
    record Approval(@NotBlank @Size(max = 2000) String justification,
                    @Pattern(regexp = LEGAL_OVERRIDE, message = "must be Court order, Regulator direction, Legal advice, "
                            + "No retention duty or Client instruction, optionally followed by ' ref. ' and a reference "
                            + "number") String legalOverride) {
    }

    record Created(String requestId, long sequence) {
    }

    record Erased(String clientId, String requestId, String erasedAt, long sequence) {
    }

    record Withdrawn(String requestId, long sequence) {
    }
}
