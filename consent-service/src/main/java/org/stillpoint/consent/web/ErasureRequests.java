package org.stillpoint.consent.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The bodies and answers of the erasure endpoints. */
final class ErasureRequests {

    private ErasureRequests() {
    }

    /**
     * The body of {@code POST /api/clients/{clientId}/erasure-requests}.
     *
     * @param legalBasis the ground, a short reference kept in clear ({@code GDPR Art. 17(1)(b)}): no personal data
     * @param reason     why, in the requester's words; sealed with the client's key, so erased with the client
     */
    record Create(@NotBlank @Size(max = 200) String legalBasis, @NotBlank @Size(max = 2000) String reason) {
    }

    /**
     * The body of {@code POST …/erasure-requests/{requestId}/approval}.
     *
     * @param justification the approver's reasoning; sealed with the client's key
     * @param legalOverride the legal ground for erasing inside the retention period, a short reference kept in clear;
     *                      without it an approval inside the period is refused
     */
    record Approval(@NotBlank @Size(max = 2000) String justification, @Size(max = 200) String legalOverride) {
    }

    record Created(String requestId, long sequence) {
    }

    record Erased(String clientId, String requestId, String erasedAt, long sequence) {
    }

    record Withdrawn(String requestId, long sequence) {
    }
}
