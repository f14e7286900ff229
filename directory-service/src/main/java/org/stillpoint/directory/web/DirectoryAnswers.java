package org.stillpoint.directory.web;

import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.directory.OrganisationDirectory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** What the directory answers: its clinics, and who works where in which roles. */
final class DirectoryAnswers {

    private DirectoryAnswers() {
    }

    /** The organisation's directory: its clinics by id, its memberships by subject (ended ones too). */
    record Directory(String organisationId, List<Clinic> clinics, List<Membership> memberships) {
    }

    /** @param closedAt null while open */
    record Clinic(String clinicId, String name, boolean open, Instant openedAt, Instant closedAt) {
    }

    /**
     * @param clinicId null for the organisation's roles
     * @param active   whether its roles hold now
     */
    record Membership(String membershipId, String subject, String clinicId, List<String> roles, Instant from,
                      Instant until, Instant endedAt, boolean active) {
    }

    static Directory of(OrganisationId organisation, OrganisationDirectory directory, Instant now) {
        if (directory == null) {
            return new Directory(organisation.toString(), List.of(), List.of());
        }
        return new Directory(organisation.toString(),
                             directory.clinics().values().stream()
                                      .sorted(Comparator.comparing(OrganisationDirectory.Clinic::clinicId))
                                      .map(DirectoryAnswers::clinic).toList(),
                             directory.memberships().values().stream()
                                      .sorted(Comparator.comparing(OrganisationDirectory.Membership::subject)
                                                        .thenComparing(OrganisationDirectory.Membership::grantedAt))
                                      .map(m -> membership(m, now)).toList());
    }

    static Clinic clinic(OrganisationDirectory.Clinic clinic) {
        return new Clinic(clinic.clinicId(), clinic.name(), clinic.open(), clinic.openedAt(), clinic.closedAt());
    }

    static Membership membership(OrganisationDirectory.Membership m, Instant now) {
        return new Membership(m.membershipId(), m.subject(), m.clinicId(), m.roles(), m.from(), m.until(),
                              m.endedAt(), m.activeAt(now));
    }
}
