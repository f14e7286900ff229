package org.stillpoint.audit.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.directory.ClinicClosed;
import org.stillpoint.contracts.directory.ClinicOpened;
import org.stillpoint.contracts.directory.ClinicRenamed;
import org.stillpoint.contracts.directory.DirectoryEvent;
import org.stillpoint.contracts.directory.MembershipEnded;
import org.stillpoint.contracts.directory.MembershipGranted;

import java.time.Instant;
import java.util.List;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * A change of the organisation's directory, as the audit received it: a clinic opened, renamed or closed, a membership
 * granted or ended, by whom, in words. About no client; its event is in the organisation's ledger.
 *
 * @param subject the member a membership change is about; null for a clinic's
 */
@Document(DirectoryChange.COLLECTION)
@CompoundIndex(name = "by-organisation", def = "{'organisationId': 1, 'at': -1}")
public record DirectoryChange(@Id String eventId, String organisationId, String change, String clinicId,
                              String subject, String summary, String actor, Instant at) {

    public static final String COLLECTION = "audit_directory_changes";

    public static DirectoryChange of(String eventId, DirectoryEvent event) {
        String clinic = switch (event) {
            case ClinicOpened o -> o.clinicId().toString();
            case ClinicRenamed r -> r.clinicId().toString();
            case ClinicClosed c -> c.clinicId().toString();
            case MembershipGranted g -> g.clinicId() == null ? null : g.clinicId().toString();
            case MembershipEnded e -> e.clinicId() == null ? null : e.clinicId().toString();
        };
        String subject = switch (event) {
            case MembershipGranted g -> g.subject();
            case MembershipEnded e -> e.subject();
            default -> null;
        };
        return new DirectoryChange(eventId, event.organisationId() == null ? null : event.organisationId().toString(),
                                   change(event), clinic, subject, words(event),
                                   event.actor() == null ? null : event.actor().subject(), event.at());
    }

    /** What happened, as a code: {@code CLINIC_OPENED}, … {@code MEMBERSHIP_ENDED}. */
    static String change(DirectoryEvent event) {
        return switch (event) {
            case ClinicOpened o -> "CLINIC_OPENED";
            case ClinicRenamed r -> "CLINIC_RENAMED";
            case ClinicClosed c -> "CLINIC_CLOSED";
            case MembershipGranted g -> "MEMBERSHIP_GRANTED";
            case MembershipEnded e -> "MEMBERSHIP_ENDED";
        };
    }

    /** The change in words: "mo made practitioner at mill-lane, from 1 December 2026 09:00". */
    static String words(DirectoryEvent event) {
        return switch (event) {
            case ClinicOpened o -> "clinic " + o.clinicId() + " opened as " + o.name();
            case ClinicRenamed r -> "clinic " + r.clinicId() + " renamed from " + r.previousName() + " to " + r.name();
            case ClinicClosed c -> "clinic " + c.clinicId() + " closed: nothing new is recorded there";
            case MembershipGranted g -> g.subject() + " made " + String.join(" and ", g.roles().stream()
                    .map(Plain::code).toList()) + (g.clinicId() == null ? " of the organisation" : " at " + g.clinicId())
                    + ", from " + g.from() + (g.until() == null ? "" : " until " + g.until());
            case MembershipEnded e -> e.subject() + "'s membership" + (e.clinicId() == null ? " of the organisation"
                    : " at " + e.clinicId()) + " ended, from " + e.endedAt();
        };
    }

    /** The organisation's latest {@code most} changes, the newest first. */
    public static List<DirectoryChange> of(MongoTemplate mongo, String organisationId, int most) {
        return mongo.find(query(where("organisationId").is(organisationId)).with(Sort.by(Sort.Direction.DESC, "at"))
                                                                           .limit(most), DirectoryChange.class);
    }
}
