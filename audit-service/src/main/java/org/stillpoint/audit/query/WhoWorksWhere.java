package org.stillpoint.audit.query;

import org.stillpoint.platform.directory.OrganisationDirectory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The organisation's clinics and who works where now, from this service's view of the directory (read to the topic's
 * end), beside the latest changes the audit received: what the console's directory page and {@code GET
 * /api/audit/directory} show.
 *
 * @param organisation the members of the whole organisation (compliance officers, integrators, operators, admins)
 */
public record WhoWorksWhere(String organisationId, List<Clinic> clinics, List<Member> organisation,
                            List<DirectoryChange> changes) {

    /** A clinic and its members (whose membership holds now, and those that ended or have not begun). */
    public record Clinic(String clinicId, String name, boolean open, Instant openedAt, Instant closedAt,
                         List<Member> members) {
    }

    /** A membership, as the directory holds it. */
    public record Member(String subject, List<String> roles, Instant from, Instant until, Instant endedAt,
                         boolean active) {
    }

    public static WhoWorksWhere of(String organisationId, OrganisationDirectory directory,
                                   List<DirectoryChange> changes, Instant now) {
        if (directory == null) {
            return new WhoWorksWhere(organisationId, List.of(), List.of(), changes);
        }
        List<Clinic> clinics = directory.clinics().values().stream()
                .sorted(Comparator.comparing(OrganisationDirectory.Clinic::clinicId))
                .map(c -> new Clinic(c.clinicId(), c.name(), c.open(), c.openedAt(), c.closedAt(),
                                     members(directory, c.clinicId(), now)))
                .toList();
        return new WhoWorksWhere(organisationId, clinics, members(directory, null, now), changes);
    }

    private static List<Member> members(OrganisationDirectory directory, String clinicId, Instant now) {
        return directory.memberships().values().stream()
                .filter(m -> java.util.Objects.equals(m.clinicId(), clinicId))
                .sorted(Comparator.comparing((OrganisationDirectory.Membership m) -> !m.activeAt(now))
                                  .thenComparing(OrganisationDirectory.Membership::subject))
                .map(m -> new Member(m.subject(), m.roles(), m.from(), m.until(), m.endedAt(), m.activeAt(now)))
                .toList();
    }
}
