package org.stillpoint.platform.directory;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.directory.ClinicClosed;
import org.stillpoint.contracts.directory.ClinicOpened;
import org.stillpoint.contracts.directory.ClinicRenamed;
import org.stillpoint.contracts.directory.DirectoryEvent;
import org.stillpoint.contracts.directory.MembershipEnded;
import org.stillpoint.contracts.directory.MembershipGranted;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One organisation's directory as this service knows it from {@code stillpoint.directory.v1}: its clinics and its
 * memberships, one document per organisation (a point lookup on every backend).
 *
 * @param sequence the organisation's last directory event applied (its {@code ce_sequence}); -1 before any
 */
@Document(OrganisationDirectory.COLLECTION)
public record OrganisationDirectory(@Id String organisationId, long sequence, Map<String, Clinic> clinics,
                                    Map<String, Membership> memberships) {

    public static final String COLLECTION = "directory_view";

    public OrganisationDirectory {
        clinics = clinics == null ? Map.of() : Map.copyOf(clinics);
        memberships = memberships == null ? Map.of() : Map.copyOf(memberships);
    }

    /**
     * A clinic.
     *
     * @param closedAt when it was closed; null while it is open
     */
    public record Clinic(String clinicId, String name, Instant openedAt, Instant closedAt) {

        public boolean open() {
            return closedAt == null;
        }
    }

    /**
     * A member's roles at a clinic (or, with no clinic, across the organisation) from {@code from} until
     * {@code until} or {@code endedAt}, whichever comes first.
     */
    public record Membership(String membershipId, String subject, String clinicId, List<String> roles, Instant from,
                             Instant until, Instant endedAt, Instant grantedAt) {

        public Membership {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        /** Whether the roles hold at {@code at}. */
        public boolean activeAt(Instant at) {
            return !at.isBefore(from) && (until == null || at.isBefore(until)) && (endedAt == null || at.isBefore(endedAt));
        }
    }

    static OrganisationDirectory empty(String organisationId) {
        return new OrganisationDirectory(organisationId, -1, Map.of(), Map.of());
    }

    /** The clinic, open or closed; empty when the organisation never opened it. */
    public Optional<Clinic> clinic(String clinicId) {
        return Optional.ofNullable(clinics.get(clinicId));
    }

    /** Whether the directory has ever given {@code subject} a membership here (ended ones included). */
    public boolean knows(String subject) {
        return memberships.values().stream().anyMatch(m -> m.subject().equals(subject));
    }

    /** The subject's memberships that hold at {@code at}. */
    public List<Membership> activeFor(String subject, Instant at) {
        return memberships.values().stream().filter(m -> m.subject().equals(subject) && m.activeAt(at)).toList();
    }

    /** The directory after one more event, or empty when it was applied already (a redelivery). */
    Optional<OrganisationDirectory> apply(DirectoryEvent event, long eventSequence) {
        if (eventSequence <= sequence) {
            return Optional.empty();
        }
        Map<String, Clinic> nextClinics = new LinkedHashMap<>(clinics);
        Map<String, Membership> nextMemberships = new LinkedHashMap<>(memberships);
        switch (event) {
            case ClinicOpened opened -> nextClinics.put(opened.clinicId().toString(), new Clinic(
                    opened.clinicId().toString(), opened.name(), opened.at(), null));
            case ClinicRenamed renamed -> nextClinics.computeIfPresent(renamed.clinicId().toString(), (id, clinic) ->
                    new Clinic(id, renamed.name(), clinic.openedAt(), clinic.closedAt()));
            case ClinicClosed closed -> nextClinics.computeIfPresent(closed.clinicId().toString(), (id, clinic) ->
                    new Clinic(id, clinic.name(), clinic.openedAt(), closed.at()));
            case MembershipGranted granted -> nextMemberships.put(granted.membershipId(), new Membership(
                    granted.membershipId(), granted.subject(),
                    granted.clinicId() == null ? null : granted.clinicId().toString(), granted.roles(), granted.from(),
                    granted.until(), null, granted.at()));
            case MembershipEnded ended -> nextMemberships.computeIfPresent(ended.membershipId(), (id, m) ->
                    new Membership(id, m.subject(), m.clinicId(), m.roles(), m.from(), m.until(), ended.endedAt(),
                                   m.grantedAt()));
        }
        return Optional.of(new OrganisationDirectory(organisationId, eventSequence, nextClinics, nextMemberships));
    }
}
