package org.stillpoint.directory.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;

import java.time.Instant;
import java.util.List;

/** The acts on an organisation's directory, each by an organisation admin (or the seed) at a moment. */
public final class DirectoryCommands {

    private DirectoryCommands() {
    }

    public record OpenClinic(@TargetAggregateIdentifier OrganisationId organisationId, ClinicId clinicId, String name,
                             Instant at, Actor actor) {
    }

    public record RenameClinic(@TargetAggregateIdentifier OrganisationId organisationId, ClinicId clinicId, String name,
                               Instant at, Actor actor) {
    }

    public record CloseClinic(@TargetAggregateIdentifier OrganisationId organisationId, ClinicId clinicId, Instant at,
                              Actor actor) {
    }

    /** @param clinicId null for the organisation's roles */
    public record GrantMembership(@TargetAggregateIdentifier OrganisationId organisationId, String membershipId,
                                  String subject, ClinicId clinicId, List<String> roles, Instant from, Instant until,
                                  Instant at, Actor actor) {
    }

    /** @param endedAt from when; null for now */
    public record EndMembership(@TargetAggregateIdentifier OrganisationId organisationId, String membershipId,
                                Instant endedAt, Instant at, Actor actor) {
    }

    /** The deployment's first entries of an organisation's directory: applied only while it has none. */
    public record SeedDirectory(@TargetAggregateIdentifier OrganisationId organisationId, List<OpenClinic> clinics,
                                List<GrantMembership> members) {
    }
}
