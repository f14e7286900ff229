package org.stillpoint.consent.web;

import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.GrantorKind;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** The JSON the consent endpoints answer with. */
final class ClientResponses {

    private ClientResponses() {
    }

    /**
     * Every answer about a client carries {@code sequence}: the client's last consent event it reflects. Other services
     * take it as {@code consentSequence} to make their consent views wait until they have read that far.
     */
    record ClientCreated(String clientId, long sequence) {
    }

    record ConsentCreated(String consentId, long sequence) {
    }

    record WithdrawalRecorded(String consentId, Set<ConsentScope> withdrawnScopes, Set<ConsentScope> remainingScopes,
                              String status, long sequence) {
    }

    /** A client's summary; personal fields are null once the client's data was erased. */
    record ClientSummary(String clientId, String organisationId, String clinicId, String givenName, String familyName,
                         LocalDate dateOfBirth, String email, String phone, Instant registeredAt, String registeredBy,
                         boolean erased, int activeConsents) {
    }

    record Change(String change, Instant at, Set<ConsentScope> scopes, String by, String reason) {
    }

    record Grantor(GrantorKind kind, String name, String relationship) {
    }

    /** @param clinicIds the clinics the consent covers: where it was given, and each it was carried over to */
    record Consent(String consentId, String clinicId, List<String> clinicIds, String status,
                   Set<ConsentScope> activeScopes,
                   Set<ConsentScope> grantedScopes, int version, ConsentForm form, ConsentMethod method,
                   Grantor grantor, String witness, String boundaries, Instant grantedAt, Instant expiresAt,
                   Instant recordedAt, String recordedBy, List<Change> history, boolean lateEntry,
                   String lateEntryReason) {
    }

    /** @param transfers the client's moves between the organisation's clinics, oldest first */
    record Consents(String clientId, long sequence, List<Consent> consents, List<Transfer> transfers) {
    }

    /**
     * A move to another clinic: which consents were carried over (the others still cover the clinic they were given at
     * only), why, and who recorded it.
     */
    record Transfer(String fromClinicId, String toClinicId, List<String> carriedOver, Instant transferredAt,
                    String recordedBy) {
    }

    record TransferRecorded(String clientId, String fromClinicId, String toClinicId, List<String> carriedOver,
                            long sequence) {
    }
}
