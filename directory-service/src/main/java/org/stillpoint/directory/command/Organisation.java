package org.stillpoint.directory.command;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.directory.ClinicClosed;
import org.stillpoint.contracts.directory.ClinicOpened;
import org.stillpoint.contracts.directory.ClinicRenamed;
import org.stillpoint.contracts.directory.MembershipEnded;
import org.stillpoint.contracts.directory.MembershipGranted;
import org.stillpoint.directory.command.DirectoryCommands.CloseClinic;
import org.stillpoint.directory.command.DirectoryCommands.EndMembership;
import org.stillpoint.directory.command.DirectoryCommands.GrantMembership;
import org.stillpoint.directory.command.DirectoryCommands.OpenClinic;
import org.stillpoint.directory.command.DirectoryCommands.RenameClinic;
import org.stillpoint.directory.command.DirectoryCommands.SeedDirectory;
import org.stillpoint.platform.command.EventSourced;
import org.stillpoint.platform.problem.Refusal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An organisation's directory: its clinics (opened, renamed, closed; a closed clinic does not open again) and its
 * memberships (a subject's roles at a clinic or across the organisation, from a moment until a moment or their end).
 */
@EventSourced
public class Organisation {

    /** The roles a membership at a clinic gives. */
    public static final Set<String> CLINIC_ROLES = Set.of("PRACTITIONER", "CLINIC_ADMIN");
    /** The roles a membership of the whole organisation gives. */
    public static final Set<String> ORGANISATION_ROLES = Set.of("COMPLIANCE_OFFICER", "INTEGRATOR", "OPERATOR",
                                                                "ORGANISATION_ADMIN");

    @AggregateIdentifier
    private OrganisationId organisationId;
    private final Map<ClinicId, ClinicState> clinics = new HashMap<>();
    private final Map<String, MembershipState> memberships = new HashMap<>();

    private record ClinicState(String name, boolean closed) {
    }

    private record MembershipState(String subject, ClinicId clinicId, boolean ended) {
    }

    protected Organisation() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SeedDirectory command) {
        if (organisationId != null) {
            return;
        }
        command.clinics().forEach(this::handle);
        command.members().forEach(this::handle);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(OpenClinic command) {
        if (clinics.containsKey(command.clinicId())) {
            throw Refusal.conflict("clinic-exists", "clinicId", "Organisation " + command.organisationId()
                    + " has a clinic " + command.clinicId() + " already" + (clinics.get(command.clinicId()).closed()
                    ? " (closed; a closed clinic's id is not used again)." : "."));
        }
        apply(new ClinicOpened(command.organisationId(), command.clinicId(), command.name(), command.actor(),
                               command.at()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RenameClinic command) {
        ClinicState clinic = openClinic(command.organisationId(), command.clinicId(), "clinicId");
        if (clinic.name().equals(command.name())) {
            return;
        }
        apply(new ClinicRenamed(command.organisationId(), command.clinicId(), clinic.name(), command.name(),
                                command.actor(), command.at()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(CloseClinic command) {
        openClinic(command.organisationId(), command.clinicId(), "clinicId");
        apply(new ClinicClosed(command.organisationId(), command.clinicId(), command.actor(), command.at()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(GrantMembership command) {
        List<String> roles = command.roles();
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i);
            if (command.clinicId() == null && !ORGANISATION_ROLES.contains(role)) {
                throw CLINIC_ROLES.contains(role)
                        ? Refusal.unprocessable("clinic-required", "clinicId", role + " is a role at a clinic: name the "
                        + "clinic.")
                        : Refusal.unprocessable("role-unknown", "roles[" + i + "]", "A membership gives "
                        + "PRACTITIONER or CLINIC_ADMIN at a clinic, or " + ORGANISATION_ROLES.stream().sorted().toList()
                        + " across the organisation; not " + role + ".");
            }
            if (command.clinicId() != null && !CLINIC_ROLES.contains(role)) {
                throw Refusal.unprocessable(ORGANISATION_ROLES.contains(role) ? "role-of-the-organisation"
                                                    : "role-unknown", "roles[" + i + "]",
                                            role + " is not a role at a clinic: a clinic's roles are "
                                                    + CLINIC_ROLES.stream().sorted().toList()
                                                    + "; grant the organisation's roles without a clinic.");
            }
        }
        if (command.clinicId() != null) {
            ClinicState clinic = clinics.get(command.clinicId());
            if (clinic == null) {
                throw Refusal.unprocessable("clinic-unknown", "clinicId", "Organisation " + command.organisationId()
                        + " has no clinic " + command.clinicId() + ".");
            }
            if (clinic.closed()) {
                throw Refusal.unprocessable("clinic-closed", "clinicId", "Clinic " + command.clinicId()
                        + " is closed; nobody is given roles there.");
            }
        }
        if (command.until() != null && !command.until().isAfter(command.from())) {
            throw Refusal.unprocessable("until-before-from", "until", "A membership ends after it begins ("
                    + command.from() + ").");
        }
        apply(new MembershipGranted(command.organisationId(), command.membershipId(), command.subject(),
                                    command.clinicId(), roles, command.from(), command.until(), command.actor(),
                                    command.at()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(EndMembership command) {
        MembershipState membership = memberships.get(command.membershipId());
        if (membership == null) {
            throw Refusal.notFound("membership-not-found", "membershipId", "Organisation " + command.organisationId()
                    + " has no membership " + command.membershipId() + ".");
        }
        if (membership.ended()) {
            throw Refusal.conflict("membership-ended", "membershipId", "Membership " + command.membershipId()
                    + " has ended already.");
        }
        Instant endedAt = command.endedAt() == null ? command.at() : command.endedAt();
        if (endedAt.isBefore(command.at())) {
            throw Refusal.unprocessable("end-in-the-past", "endedAt", "A membership ends now or later, never before it "
                    + "is recorded: what its member did until now was done with its roles.");
        }
        apply(new MembershipEnded(command.organisationId(), command.membershipId(), membership.subject(),
                                  membership.clinicId(), endedAt, command.actor(), command.at()));
    }

    private ClinicState openClinic(OrganisationId organisation, ClinicId clinicId, String field) {
        ClinicState clinic = clinics.get(clinicId);
        if (clinic == null) {
            throw Refusal.notFound("clinic-not-found", field, "Organisation " + organisation + " has no clinic "
                    + clinicId + ".");
        }
        if (clinic.closed()) {
            throw Refusal.conflict("clinic-closed", field, "Clinic " + clinicId + " is closed.");
        }
        return clinic;
    }

    @EventSourcingHandler
    void on(ClinicOpened event) {
        organisationId = event.organisationId();
        clinics.put(event.clinicId(), new ClinicState(event.name(), false));
    }

    @EventSourcingHandler
    void on(ClinicRenamed event) {
        clinics.put(event.clinicId(), new ClinicState(event.name(), false));
    }

    @EventSourcingHandler
    void on(ClinicClosed event) {
        clinics.computeIfPresent(event.clinicId(), (id, clinic) -> new ClinicState(clinic.name(), true));
    }

    @EventSourcingHandler
    void on(MembershipGranted event) {
        organisationId = event.organisationId();
        memberships.put(event.membershipId(), new MembershipState(event.subject(), event.clinicId(), false));
    }

    @EventSourcingHandler
    void on(MembershipEnded event) {
        memberships.computeIfPresent(event.membershipId(), (id, m) -> new MembershipState(m.subject(), m.clinicId(),
                                                                                          true));
    }
}
