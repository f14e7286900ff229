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

    record Consent(String consentId, String clinicId, String status, Set<ConsentScope> activeScopes,
                   Set<ConsentScope> grantedScopes, int version, ConsentForm form, ConsentMethod method,
                   Grantor grantor, String witness, String boundaries, Instant grantedAt, Instant expiresAt,
                   Instant recordedAt, String recordedBy, List<Change> history, boolean lateEntry,
                   String lateEntryReason) {
    }

    record Consents(String clientId, long sequence, List<Consent> consents) {
    }
}
