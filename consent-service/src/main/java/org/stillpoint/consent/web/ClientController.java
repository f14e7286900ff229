package org.stillpoint.consent.web;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.consent.command.GrantConsent;
import org.stillpoint.consent.command.PersonalDetails;
import org.stillpoint.consent.command.RegisterClient;
import org.stillpoint.consent.command.WithdrawConsent;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.consent.query.ClientConsentsView;
import org.stillpoint.consent.query.ConsentQueries;
import org.stillpoint.consent.query.ConsentView;
import org.stillpoint.consent.web.ClientResponses.Change;
import org.stillpoint.consent.web.ClientResponses.ClientCreated;
import org.stillpoint.consent.web.ClientResponses.ClientSummary;
import org.stillpoint.consent.web.ClientResponses.Consent;
import org.stillpoint.consent.web.ClientResponses.ConsentCreated;
import org.stillpoint.consent.web.ClientResponses.Consents;
import org.stillpoint.consent.web.ClientResponses.Grantor;
import org.stillpoint.consent.web.ClientResponses.WithdrawalRecorded;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.command.Write;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** Client intake and consent over HTTP (DESIGN §7). A create answers once its event is stored and readable here. */
@RestController
@RequestMapping("/api/clients")
public class ClientController {

    private final ReadYourWrites writes;
    private final ConsentQueries queries;
    private final ClientAccess access;
    private final FieldCipher cipher;
    private final Clock clock;

    public ClientController(ReadYourWrites writes, ConsentQueries queries, ClientAccess access, FieldCipher cipher,
                            Clock clock) {
        this.writes = writes;
        this.queries = queries;
        this.access = access;
        this.cipher = cipher;
        this.clock = clock;
    }

    @PostMapping
    public ResponseEntity<ClientCreated> register(Caller caller, @Valid @RequestBody RegisterClientRequest request,
                                                  UriComponentsBuilder uri) {
        ClinicId clinicId = ClinicId.of(request.clinicId());
        access.register(caller, clinicId);
        if (request.organisationId() != null && !caller.belongsTo(OrganisationId.of(request.organisationId()))) {
            throw Refusal.forbidden("organisation-not-yours", "organisationId",
                                    "Clients are registered in the caller's own organisation, "
                                            + caller.organisationId() + ".");
        }
        ClientId clientId = ClientId.random();
        PersonalDetails details = new PersonalDetails(request.givenName(), request.familyName(),
                                                      request.dateOfBirth(), request.email(), request.phone());
        URI location = uri.path("/api/clients/{id}").build(clientId.toString());
        return write(new RegisterClient(clientId, caller.organisationId(), clinicId, details, clock.instant(),
                                        caller.actor()), clientId, location)
                .created(() -> new ClientCreated(clientId.toString(), sequenceOf(clientId)));
    }

    @GetMapping("/{clientId}")
    public ClientSummary client(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        ClientConsentsView view = view(clientId);
        Instant now = clock.instant();
        PersonalDetails details = cipher.openJson(view.personalDetails(), SealedFields.PERSONAL_DETAILS, PersonalDetails.class).orElse(null);
        int active = (int) view.consents().stream().filter(c -> ConsentView.ACTIVE.equals(c.statusAt(now))).count();
        return new ClientSummary(view.clientId(), view.organisationId(), view.clinicId(),
                                 details == null ? null : details.givenName(),
                                 details == null ? null : details.familyName(),
                                 details == null ? null : details.dateOfBirth(),
                                 details == null ? null : details.email(),
                                 details == null ? null : details.phone(),
                                 view.registeredAt(), view.registeredBy(), details == null, active);
    }

    @PostMapping("/{clientId}/consents")
    public ResponseEntity<ConsentCreated> grant(Caller caller, @PathVariable ClientId clientId,
                                                @Valid @RequestBody GrantConsentRequest request,
                                                UriComponentsBuilder uri) {
        ClinicId clinicId = ClientAccess.actingClinic(caller, access.write(caller, clientId), request.clinicId());
        ConsentId consentId = ConsentId.random();
        GrantConsentRequest.GrantorRequest grantor = request.grantor();
        GrantConsent command = new GrantConsent(
                clientId, consentId, clinicId,
                Set.copyOf(request.scopes()),
                new ConsentForm(request.form().formId(), request.form().version(), request.form().textSha256()),
                request.method(), grantor == null ? GrantorKind.CLIENT : grantor.kind(),
                grantor == null ? null : grantor.name(), grantor == null ? null : grantor.relationship(),
                request.witness(), request.boundaries(), request.grantedAt(), request.expiresAt(),
                request.lateEntryReason(), clock.instant(), caller.actor());
        URI location = uri.path("/api/clients/{id}/consents/{consentId}").build(clientId.toString(), consentId.toString());
        return write(command, clientId, location)
                .created(() -> new ConsentCreated(consentId.toString(), sequenceOf(clientId)));
    }

    @GetMapping("/{clientId}/consents")
    public Consents consents(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        return consentsOf(clientId);
    }

    /** Every consent of the client, as answered to a caller allowed to read them. */
    Consents consentsOf(ClientId clientId) {
        ClientConsentsView view = view(clientId);
        Instant now = clock.instant();
        return new Consents(view.clientId(), view.lastSequence(),
                            view.consents().stream().map(c -> consent(c, now)).toList());
    }

    @GetMapping("/{clientId}/consents/{consentId}")
    public Consent consent(Caller caller, @PathVariable ClientId clientId, @PathVariable ConsentId consentId) {
        access.read(caller, clientId);
        return consent(view(clientId), consentId);
    }

    @PostMapping("/{clientId}/consents/{consentId}/withdrawals")
    public ResponseEntity<WithdrawalRecorded> withdraw(Caller caller, @PathVariable ClientId clientId,
                                                       @PathVariable ConsentId consentId,
                                                       @Valid @RequestBody WithdrawConsentRequest request,
                                                       UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return withdrawFor(caller, clientId, consentId, request,
                           uri.path("/api/clients/{id}/consents/{consentId}").build(clientId.toString(), consentId.toString()));
    }

    /** Withdraws as {@code caller}, who was allowed to: a practitioner or admin of the clinic, or the client. */
    ResponseEntity<WithdrawalRecorded> withdrawFor(Caller caller, ClientId clientId, ConsentId consentId,
                                                   WithdrawConsentRequest request, URI location) {
        Set<ConsentScope> scopes = request.scopes() == null ? Set.of() : Set.copyOf(request.scopes());
        return write(new WithdrawConsent(clientId, consentId, scopes, request.reason(), clock.instant(), caller.actor()),
                     clientId, location).created(() -> {
            ClientConsentsView view = view(clientId);
            Consent after = consent(view, consentId);
            return new WithdrawalRecorded(consentId.toString(), after.history().getLast().scopes(),
                                          after.activeScopes(), after.status(), view.lastSequence());
        });
    }

    private Consent consent(ClientConsentsView view, ConsentId consentId) {
        Instant now = clock.instant();
        return view.consents().stream()
                   .filter(c -> c.consentId().equals(consentId.toString()))
                   .findFirst()
                   .map(c -> consent(c, now))
                   .orElseThrow(() -> Refusal.notFound("consent-not-found", "consentId",
                                                       "This client has no consent " + consentId + "."));
    }

    private Consent consent(ConsentView c, Instant now) {
        String status = c.statusAt(now);
        return new Consent(c.consentId(), c.clinicId(), status,
                           ConsentView.ACTIVE.equals(status) ? c.activeScopes() : Set.of(), c.grantedScopes(),
                           c.version(), c.form(), c.method(),
                           new Grantor(c.grantorKind(), cipher.open(c.guardianName(), SealedFields.GUARDIAN_NAME).orElse(null),
                                       c.guardianRelationship()),
                           cipher.open(c.witness(), SealedFields.WITNESS).orElse(null), cipher.open(c.boundaries(), SealedFields.BOUNDARIES).orElse(null),
                           c.grantedAt(), c.expiresAt(), c.recordedAt(), c.recordedBy(),
                           c.history().stream().map(h -> new Change(h.change(), h.at(), h.scopes(), h.by(),
                                                                    cipher.open(h.reason(), SealedFields.WITHDRAWAL_REASON).orElse(null))).toList(),
                           c.lateEntry(), cipher.open(c.lateEntryReason(), SealedFields.CONSENT_LATE_ENTRY_REASON).orElse(null));
    }

    /** The client's last consent event the read model reflects; -1 if it has not caught up with the write yet. */
    private long sequenceOf(ClientId clientId) {
        return queries.client(clientId).map(ClientConsentsView::lastSequence).orElse(-1L);
    }

    private ClientConsentsView view(ClientId clientId) {
        return queries.client(clientId).orElseThrow(() -> unknownClient(clientId));
    }

    /** A write of the client's record, read at {@code location} once the consent read model shows it. */
    private Write write(Object command, ClientId clientId, URI location) {
        return writes.write(command, ClientConsentsProjection.PROCESSOR, clientId, location)
                     .whenMissing(() -> unknownClient(clientId));
    }

    private static Refusal unknownClient(ClientId clientId) {
        return Refusal.notFound("client-not-found", "clientId", "There is no client " + clientId + ".");
    }

}
