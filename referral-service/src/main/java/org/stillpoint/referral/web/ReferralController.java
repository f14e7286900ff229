package org.stillpoint.referral.web;

import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.command.Write;
import org.stillpoint.platform.input.PlainText;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.referral.command.ChangeReferralStatus;
import org.stillpoint.referral.command.IssueReferral;
import org.stillpoint.referral.command.RecipientDetails;
import org.stillpoint.referral.command.ReviewReferral;
import org.stillpoint.referral.query.ReferralsProjection;
import org.stillpoint.referral.web.ReferralResponses.OpenReferrals;
import org.stillpoint.referral.web.ReferralResponses.Referral;
import org.stillpoint.referral.web.ReferralResponses.ReferralCreated;
import org.stillpoint.referral.web.ReferralResponses.Referrals;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.net.URI;
import java.time.Clock;
import java.util.Set;

/** Referrals over HTTP (DESIGN §7). A write answers once its event is stored and readable here. */
@RestController
record ReferralController(ReadYourWrites writes, ClientAccess access, ReferralAnswers answers,
                          OriginatingSessions sessions, Clock clock) {

    @PostMapping("/api/clients/{clientId}/referrals")
    public ResponseEntity<ReferralCreated> issue(Caller caller, @PathVariable ClientId clientId,
                                                 @Valid @RequestBody IssueReferralRequest request,
                                                 @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                                                 UriComponentsBuilder uri) {
        ClinicId clinicId = access.actingClinic(caller, access.write(caller, clientId, request.consentSequence()),
                                                       request.clinicId());
        SessionId originatingSession = request.originatingSessionId() == null ? null
                : SessionId.of(request.originatingSessionId());
        if (originatingSession != null) {
            sessions.check(clientId, originatingSession, authorization.replaceFirst("(?i)^Bearer\\s+", ""));
        }
        ReferralId referralId = ReferralId.random();
        IssueReferralRequest.RecipientRequest to = request.recipient();
        RecipientDetails recipient = new RecipientDetails(to.kind(), to.name(), PlainText.blankToNull(to.organisation()),
                                                          new Recipient.Contact(PlainText.blankToNull(to.contact().email()),
                                                                                PlainText.blankToNull(to.contact().phone())));
        return write(new IssueReferral(
                referralId, clientId, clinicId, recipient, request.urgency(), request.reason(), originatingSession,
                Set.copyOf(request.sharedCategories()), request.emergencyJustification(), request.consentSequence(),
                clock.instant(), caller.actor()), clientId, referralId, uri)
                .created(() -> answers.created(clientId, referralId));
    }

    @PostMapping("/api/clients/{clientId}/referrals/{referralId}/status")
    public ResponseEntity<Referral> changeStatus(Caller caller, @PathVariable ClientId clientId,
                                                 @PathVariable ReferralId referralId,
                                                 @Valid @RequestBody ChangeStatusRequest request,
                                                 UriComponentsBuilder uri) {
        access.write(caller, clientId);
        return write(new ChangeReferralStatus(referralId, clientId, request.status(), request.note(), clock.instant(),
                                              caller.actor()), clientId, referralId, uri)
                .created(() -> answers.referral(clientId, referralId));
    }

    /**
     * A compliance officer's review of an emergency referral issued without consent (DESIGN §2): appropriate or not,
     * with notes sealed like other free text; once per referral, by an officer of the client's organisation.
     */
    @PostMapping("/api/clients/{clientId}/referrals/{referralId}/review")
    public ResponseEntity<Referral> review(Caller caller, @PathVariable ClientId clientId,
                                           @PathVariable ReferralId referralId,
                                           @Valid @RequestBody ReviewRequest request, UriComponentsBuilder uri) {
        access.officerAct(caller, clientId);
        return write(new ReviewReferral(referralId, clientId, request.outcome(), request.notes(), clock.instant(),
                                        caller.actor()), clientId, referralId, uri)
                .created(() -> answers.referral(clientId, referralId));
    }

    @GetMapping("/api/clients/{clientId}/referrals")
    public Referrals referrals(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId);
        return answers.referrals(clientId);
    }

    @GetMapping("/api/clients/{clientId}/referrals/{referralId}")
    public Referral referral(Caller caller, @PathVariable ClientId clientId, @PathVariable ReferralId referralId) {
        access.read(caller, clientId);
        return answers.referral(clientId, referralId);
    }

    /**
     * The organisation's open referrals, most urgent first: the follow-up list. A clinic admin sees their clinics'
     * clients, a compliance officer the whole organisation; the list is one access naming the clients it shows.
     */
    @GetMapping("/api/referrals/open")
    public OpenReferrals open(Caller caller, @RequestParam(required = false) OrganisationId organisationId,
                              @RequestParam(required = false) Urgency minimumUrgency) {
        ClientAccess.requireAny(caller, "the follow-up list of referrals", Role.CLINIC_ADMIN, Role.COMPLIANCE_OFFICER);
        if (organisationId != null && !caller.belongsTo(organisationId)) {
            throw Refusal.forbidden("organisation-not-yours", "organisationId",
                                    "The caller's token names organisation " + caller.organisationId() + ".");
        }
        return answers.open(caller.organisationId(), minimumUrgency,
                            candidates -> access.listed(caller, "open-referrals", candidates));
    }

    /** A write of the referral, read at its location once the referral read model shows it. */
    private Write write(Object command, ClientId clientId, ReferralId referralId, UriComponentsBuilder uri) {
        URI location = uri.cloneBuilder().path("/api/clients/{clientId}/referrals/{referralId}")
                          .build(clientId.toString(), referralId.toString());
        return writes.write(command, ReferralsProjection.PROCESSOR, clientId, location)
                     .whenMissing(() -> ReferralAnswers.unknownReferral(referralId));
    }
}
