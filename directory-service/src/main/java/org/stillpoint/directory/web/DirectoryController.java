package org.stillpoint.directory.web;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.directory.command.DirectoryCommands.CloseClinic;
import org.stillpoint.directory.command.DirectoryCommands.EndMembership;
import org.stillpoint.directory.command.DirectoryCommands.GrantMembership;
import org.stillpoint.directory.command.DirectoryCommands.OpenClinic;
import org.stillpoint.directory.command.DirectoryCommands.RenameClinic;
import org.stillpoint.directory.web.DirectoryRequests.EndMembershipRequest;
import org.stillpoint.directory.web.DirectoryRequests.GrantMembershipRequest;
import org.stillpoint.directory.web.DirectoryRequests.OpenClinicRequest;
import org.stillpoint.directory.web.DirectoryRequests.RenameClinicRequest;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.directory.OrganisationDirectory;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The organisation's directory over HTTP: its organisation admins open, rename and close clinics and grant and end
 * memberships; they, its compliance officers and its clinic admins read it. Everything is of the caller's own
 * organisation. A change answers once it is on the directory topic and this service's view shows it, so the next
 * request anywhere is decided on it.
 */
@RestController
record DirectoryController(DirectoryWrites writes, Clock clock) {

    @GetMapping("/api/directory")
    public DirectoryAnswers.Directory directory(Caller caller) {
        ClientAccess.requireAny(caller, "reading the organisation's directory", Role.ORGANISATION_ADMIN,
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        return DirectoryAnswers.of(caller.organisationId(), writes.current(caller.organisationId()), clock.instant());
    }

    @PostMapping("/api/directory/clinics")
    public ResponseEntity<DirectoryAnswers.Clinic> open(Caller caller, @Valid @RequestBody OpenClinicRequest request,
                                                        UriComponentsBuilder uri) {
        OrganisationId organisation = admin(caller);
        ClinicId clinicId = ClinicId.of(request.clinicId());
        OrganisationDirectory directory = writes.send(new OpenClinic(organisation, clinicId, request.name().strip(),
                                                                     clock.instant(), caller.actor()), organisation);
        return ResponseEntity.created(uri.cloneBuilder().path("/api/directory/clinics/{clinicId}")
                                         .build(clinicId.toString()))
                             .body(clinic(directory, clinicId));
    }

    @GetMapping("/api/directory/clinics/{clinicId}")
    public DirectoryAnswers.Clinic clinic(Caller caller, @PathVariable ClinicId clinicId) {
        ClientAccess.requireAny(caller, "reading the organisation's directory", Role.ORGANISATION_ADMIN,
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        return clinic(writes.current(caller.organisationId()), clinicId);
    }

    @PutMapping("/api/directory/clinics/{clinicId}")
    public DirectoryAnswers.Clinic rename(Caller caller, @PathVariable ClinicId clinicId,
                                          @Valid @RequestBody RenameClinicRequest request) {
        OrganisationId organisation = admin(caller);
        return clinic(writes.send(new RenameClinic(organisation, clinicId, request.name().strip(), clock.instant(),
                                                   caller.actor()), organisation), clinicId);
    }

    @PostMapping("/api/directory/clinics/{clinicId}/close")
    public DirectoryAnswers.Clinic close(Caller caller, @PathVariable ClinicId clinicId) {
        OrganisationId organisation = admin(caller);
        return clinic(writes.send(new CloseClinic(organisation, clinicId, clock.instant(), caller.actor()),
                                  organisation), clinicId);
    }

    @PostMapping("/api/directory/memberships")
    public ResponseEntity<DirectoryAnswers.Membership> grant(Caller caller,
                                                             @Valid @RequestBody GrantMembershipRequest request,
                                                             UriComponentsBuilder uri) {
        OrganisationId organisation = admin(caller);
        Instant now = clock.instant();
        String membershipId = UUID.randomUUID().toString();
        List<String> roles = request.roles().stream().map(String::strip).distinct().toList();
        OrganisationDirectory directory = writes.send(new GrantMembership(
                organisation, membershipId, request.subject().strip(),
                request.clinicId() == null ? null : ClinicId.of(request.clinicId()), roles,
                request.from() == null ? now : request.from(), request.until(), now, caller.actor()), organisation);
        return ResponseEntity.created(uri.cloneBuilder().path("/api/directory/memberships/{membershipId}")
                                         .build(membershipId))
                             .body(membership(directory, membershipId, now));
    }

    @GetMapping("/api/directory/memberships/{membershipId}")
    public DirectoryAnswers.Membership membership(Caller caller, @PathVariable UUID membershipId) {
        ClientAccess.requireAny(caller, "reading the organisation's directory", Role.ORGANISATION_ADMIN,
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        return membership(writes.current(caller.organisationId()), membershipId.toString(), clock.instant());
    }

    @PostMapping("/api/directory/memberships/{membershipId}/end")
    public DirectoryAnswers.Membership end(Caller caller, @PathVariable UUID membershipId,
                                           @RequestBody(required = false) EndMembershipRequest request) {
        OrganisationId organisation = admin(caller);
        Instant now = clock.instant();
        return membership(writes.send(new EndMembership(organisation, membershipId.toString(),
                                                        request == null ? null : request.endedAt(), now,
                                                        caller.actor()), organisation), membershipId.toString(), now);
    }

    private static OrganisationId admin(Caller caller) {
        ClientAccess.requireAny(caller, "changing the organisation's directory", Role.ORGANISATION_ADMIN);
        return caller.organisationId();
    }

    private static DirectoryAnswers.Clinic clinic(OrganisationDirectory directory, ClinicId clinicId) {
        return (directory == null ? java.util.Optional.<OrganisationDirectory.Clinic>empty()
                : directory.clinic(clinicId.toString()))
                .map(DirectoryAnswers::clinic)
                .orElseThrow(() -> Refusal.notFound("clinic-not-found", "clinicId", "The organisation has no clinic "
                        + clinicId + "."));
    }

    private static DirectoryAnswers.Membership membership(OrganisationDirectory directory, String membershipId,
                                                          Instant now) {
        OrganisationDirectory.Membership membership = directory == null ? null
                : directory.memberships().get(membershipId);
        if (membership == null) {
            throw Refusal.notFound("membership-not-found", "membershipId", "The organisation has no membership "
                    + membershipId + ".");
        }
        return DirectoryAnswers.membership(membership, now);
    }
}
