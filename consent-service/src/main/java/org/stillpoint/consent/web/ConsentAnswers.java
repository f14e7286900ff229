package org.stillpoint.consent.web;

import org.springframework.stereotype.Component;
import org.stillpoint.consent.command.PersonalDetails;
import org.stillpoint.consent.query.ClientConsentsView;
import org.stillpoint.consent.query.ConsentQueries;
import org.stillpoint.consent.query.ConsentView;
import org.stillpoint.consent.web.ClientResponses.Change;
import org.stillpoint.consent.web.ClientResponses.ClientSummary;
import org.stillpoint.consent.web.ClientResponses.Consent;
import org.stillpoint.consent.web.ClientResponses.Consents;
import org.stillpoint.consent.web.ClientResponses.Grantor;
import org.stillpoint.consent.web.ClientResponses.WithdrawalRecorded;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.problem.Refusal;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What the client and consent endpoints answer, read from the consent read model with the sealed fields opened, each
 * consent's status as of now: for a caller the controller has already allowed to read the client's record.
 */
@Component
record ConsentAnswers(ConsentQueries queries, FieldCipher cipher, Clock clock) {

    /** The client's summary: placement, personal details (gone once erased), registration, active consents. */
    public ClientSummary client(ClientId clientId) {
        ClientConsentsView view = view(clientId);
        Instant now = clock.instant();
        PersonalDetails details = cipher.of(view.clientId()).openJson(view.personalDetails(), SealedFields.PERSONAL_DETAILS,
                                                  PersonalDetails.class).orElse(null);
        int active = (int) view.consents().stream().filter(c -> ConsentView.ACTIVE.equals(c.statusAt(now))).count();
        return new ClientSummary(view.clientId(), view.organisationId(), view.clinicId(),
                                 details == null ? null : details.givenName(),
                                 details == null ? null : details.familyName(),
                                 details == null ? null : details.dateOfBirth(),
                                 details == null ? null : details.email(),
                                 details == null ? null : details.phone(),
                                 view.registeredAt(), view.registeredBy(), details == null, active);
    }

    /** Every consent of the client. */
    public Consents consents(ClientId clientId) {
        ClientConsentsView view = view(clientId);
        Instant now = clock.instant();
        return new Consents(view.clientId(), view.lastSequence(),
                            view.consents().stream().map(c -> consent(view, cipher.of(view.clientId()), c, now)).toList(),
                            view.transfers().stream().map(t -> new ClientResponses.Transfer(
                                    t.fromClinicId(), t.toClinicId(), t.carriedOver(), t.at(), t.recordedBy())).toList());
    }

    /** The answer to a transfer just recorded: where the client is now, and what was carried over. */
    ClientResponses.TransferRecorded transferred(ClientId clientId) {
        ClientConsentsView view = view(clientId);
        ClientConsentsView.TransferView last = view.transfers().getLast();
        return new ClientResponses.TransferRecorded(view.clientId(), last.fromClinicId(), last.toClinicId(),
                                                    last.carriedOver(), view.lastSequence());
    }

    /** One consent; {@code 404 consent-not-found} when the client has no such consent. */
    public Consent consent(ClientId clientId, ConsentId consentId) {
        return consent(view(clientId), consentId);
    }

    /** The answer to a withdrawal just recorded: what it withdrew, what remains. */
    WithdrawalRecorded withdrawal(ClientId clientId, ConsentId consentId) {
        ClientConsentsView view = view(clientId);
        Consent after = consent(view, consentId);
        return new WithdrawalRecorded(consentId.toString(), after.history().getLast().scopes(), after.activeScopes(),
                                      after.status(), view.lastSequence());
    }

    /** The answer to an approved erasure, once this service's read model shows it. */
    ErasureRequests.Erased erased(ClientId clientId, UUID requestId) {
        ClientConsentsView view = view(clientId);
        return new ErasureRequests.Erased(clientId.toString(), requestId.toString(), String.valueOf(view.erasedAt()),
                                          view.lastSequence());
    }

    private Consent consent(ClientConsentsView view, ConsentId consentId) {
        Instant now = clock.instant();
        return view.consents().stream()
                   .filter(c -> c.consentId().equals(consentId.toString()))
                   .findFirst()
                   .map(c -> consent(view, cipher.of(view.clientId()), c, now))
                   .orElseThrow(() -> Refusal.notFound("consent-not-found", "consentId",
                                                       "This client has no consent " + consentId + "."));
    }

    private Consent consent(ClientConsentsView view, FieldCipher.Opener sealed, ConsentView c, Instant now) {
        String status = c.statusAt(now);
        return new Consent(c.consentId(), c.clinicId(), view.clinicsOf(c), status,
                           ConsentView.ACTIVE.equals(status) ? c.activeScopes() : Set.of(), c.grantedScopes(),
                           c.version(), c.form(), c.method(),
                           new Grantor(c.grantorKind(), sealed.open(c.guardianName(), SealedFields.GUARDIAN_NAME).orElse(null),
                                       c.guardianRelationship()),
                           sealed.open(c.witness(), SealedFields.WITNESS).orElse(null), sealed.open(c.boundaries(), SealedFields.BOUNDARIES).orElse(null),
                           c.grantedAt(), c.expiresAt(), c.recordedAt(), c.recordedBy(),
                           c.history().stream().map(h -> new Change(h.change(), h.at(), h.scopes(), h.by(),
                                                                    sealed.open(h.reason(), SealedFields.WITHDRAWAL_REASON).orElse(null))).toList(),
                           c.lateEntry(), sealed.open(c.lateEntryReason(), SealedFields.CONSENT_LATE_ENTRY_REASON).orElse(null));
    }

    private ClientConsentsView view(ClientId clientId) {
        return queries.client(clientId).orElseThrow(() -> unknownClient(clientId));
    }

    static Refusal unknownClient(ClientId clientId) {
        return Refusal.notFound("client-not-found", "clientId", "There is no client " + clientId + ".");
    }
}
