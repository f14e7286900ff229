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
import org.stillpoint.consent.command.TransferClient;
import org.stillpoint.consent.command.WithdrawConsent;
import org.stillpoint.consent.query.ClientConsentsProjection;
import org.stillpoint.consent.web.ClientResponses.ClientCreated;
import org.stillpoint.consent.web.ClientResponses.ClientSummary;
import org.stillpoint.consent.web.ClientResponses.Consent;
import org.stillpoint.consent.web.ClientResponses.ConsentCreated;
import org.stillpoint.consent.web.ClientResponses.Consents;
import org.stillpoint.consent.web.ClientResponses.WithdrawalRecorded;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.command.Write;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Client intake and consent over HTTP (DESIGN §7). A create answers once its event is stored and readable here. */
@RestController
@RequestMapping("/api/clients")
record ClientController(ReadYourWrites writes, ClientAccess access, ConsentAnswers answers, Clock clock) {

    /** The earliest date of birth that is anyone's who is alive: earlier ones are typing mistakes. */
    static final java.time.LocalDate EARLIEST_BIRTH = java.time.LocalDate.of(1900, 1, 1);

    @PostMapping
    public ResponseEntity<ClientCreated> register(Caller caller, @Valid @RequestBody RegisterClientRequest request,
                                                  UriComponentsBuilder uri) {
        ClinicId clinicId = ClinicId.of(request.clinicId());
        if (request.dateOfBirth().isBefore(EARLIEST_BIRTH)) {
            throw Refusal.invalid("invalid-request", "dateOfBirth", "dateOfBirth must be on or after " + EARLIEST_BIRTH
                    + " (and in the past).");
        }
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
                .createdFrom(stored -> new ClientCreated(clientId.toString(), stored.sequence()));
    }

    @GetMapping("/{clientId}")
    public ClientSummary client(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        return answers.client(clientId);
    }

    @PostMapping("/{clientId}/consents")
    public ResponseEntity<ConsentCreated> grant(Caller caller, @PathVariable ClientId clientId,
                                                @Valid @RequestBody GrantConsentRequest request,
                                                UriComponentsBuilder uri) {
        ClientPlacement placement = access.write(caller, clientId);
        ClinicId clinicId;
        if (request.scopes().contains(ConsentScope.CLINIC_SHARING)) {
            // the client lets another clinic of the organisation read their record: a consent given at that clinic
            if (Set.copyOf(request.scopes()).size() > 1) {
                throw Refusal.unprocessable("sharing-alone", "scopes", "CLINIC_SHARING is given alone: it names the "
                        + "clinic that may read the record (clinicId), not one where care is given.");
            }
            clinicId = access.sharingClinic(placement, request.clinicId());
        } else {
            clinicId = access.actingClinic(caller, placement, request.clinicId());
        }
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
                .createdFrom(stored -> new ConsentCreated(consentId.toString(), stored.sequence()));
    }

    /**
     * Moves the client to another clinic of the organisation (a clinic admin of either clinic): one id, one key, one
     * history; the consents named in {@code carriedOver} cover the new clinic from now on, the others do not.
     */
    @PostMapping("/{clientId}/transfers")
    public ResponseEntity<ClientResponses.TransferRecorded> transfer(Caller caller, @PathVariable ClientId clientId,
                                                                     @Valid @RequestBody TransferRequest request,
                                                                     UriComponentsBuilder uri) {
        ClinicId to = ClinicId.of(request.toClinicId());
        access.transfer(caller, clientId, to);
        List<ConsentId> carried = request.carriedOver() == null ? List.of()
                : request.carriedOver().stream().map(ConsentId::of).toList();
        URI location = uri.path("/api/clients/{id}/consents").build(clientId.toString());
        return write(new TransferClient(clientId, to, request.reason(), carried, clock.instant(), caller.actor()),
                     clientId, location).created(() -> answers.transferred(clientId));
    }

    @GetMapping("/{clientId}/consents")
    public Consents consents(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        return answers.consents(clientId);
    }

    @GetMapping("/{clientId}/consents/{consentId}")
    public Consent consent(Caller caller, @PathVariable ClientId clientId, @PathVariable ConsentId consentId) {
        access.read(caller, clientId);
        return answers.consent(clientId, consentId);
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
                     clientId, location).created(() -> answers.withdrawal(clientId, consentId));
    }

    /** A write of the client's record, read at {@code location} once the consent read model shows it. */
    private Write write(Object command, ClientId clientId, URI location) {
        return writes.write(command, ClientConsentsProjection.PROCESSOR, clientId, location)
                     .whenMissing(() -> ConsentAnswers.unknownClient(clientId));
    }
}
