package org.stillpoint.consent.copy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.stillpoint.consent.copy.FhirCopy.text;

/**
 * What a session and a referral say beyond their dates, as lines both forms of the copy write: the note by section,
 * its signature, amendments and late-entry reason; a referral's shared information, emergency, review and history.
 */
final class Notes {

    /** One line, with when and by whom where it has them. */
    record Line(String text, String at, String by) {
    }

    private Notes() {
    }

    /** @param withheldBecause why the note is not part of the copy; null when it is */
    static List<Line> of(JsonNode session, String withheldBecause) {
        List<Line> lines = new ArrayList<>();
        JsonNode note = session.path("note");
        if (withheldBecause != null) {
            lines.add(new Line("The note of this session is not part of this copy. " + withheldBecause, null, null));
        } else if (note.isObject()) {
            section(lines, "What you reported", text(note, "clientReported"));
            section(lines, "Observations", text(note, "observations"));
            section(lines, "Techniques", text(note, "techniques"));
            section(lines, "Your response", text(note, "clientResponse"));
            if (note.path("pauses").isInt() || note.path("stopSignalUsed").asBoolean() || text(note, "pacingNotes") != null) {
                lines.add(new Line("Pacing: " + note.path("pauses").asInt(0) + " pause(s)"
                                           + (note.path("stopSignalUsed").asBoolean() ? ", the stop signal was used" : "")
                                           + (text(note, "pacingNotes") == null ? "" : ". " + text(note, "pacingNotes")),
                                   null, null));
            }
            if (note.path("referralRecommended").asBoolean()) {
                lines.add(new Line("A referral was recommended" + (text(note, "referralReason") == null ? ""
                        : ": " + text(note, "referralReason")), null, null));
            }
            for (JsonNode draft : session.path("drafts")) {
                lines.add(new Line("An earlier draft of this note was replaced" + (text(draft, "replacedBy") == null
                        ? "" : " by " + text(draft, "replacedBy")) + "; it read: " + draftText(draft.path("note")),
                                   text(draft, "replacedAt"), text(draft, "replacedBy")));
            }
        }
        if (text(session, "signedAt") != null) {
            lines.add(new Line("Signed by " + text(session, "signedBy"), text(session, "signedAt"),
                               text(session, "signedBy")));
        } else {
            lines.add(new Line("The note is not signed yet.", null, null));
        }
        for (JsonNode amendment : session.path("amendments")) {
            lines.add(new Line("Amendment " + amendment.path("number").asInt() + " (" + Words.of(
                    amendment.path("section").asText()) + ")" + (text(amendment, "text") == null ? ""
                    : ": " + text(amendment, "text")) + (text(amendment, "reason") == null ? ""
                    : " — reason: " + text(amendment, "reason")), text(amendment, "at"), text(amendment, "by")));
        }
        if (session.path("lateEntry").asBoolean()) {
            lines.add(new Line("Recorded after the session" + (text(session, "lateEntryReason") == null ? ""
                    : ": " + text(session, "lateEntryReason")), text(session, "recordedAt"), text(session, "recordedBy")));
        }
        return lines;
    }

    static List<Line> ofReferral(JsonNode referral) {
        List<Line> lines = new ArrayList<>();
        List<String> shared = new ArrayList<>();
        referral.path("sharedCategories").forEach(c -> shared.add(c.asText()));
        lines.add(new Line("Shared with the recipient: " + Words.list(shared), null, null));
        if (referral.path("emergencyOverride").asBoolean()) {
            lines.add(new Line("Sent as an emergency without your consent to share information"
                                       + (text(referral, "emergencyJustification") == null ? ""
                    : ": " + text(referral, "emergencyJustification")), null, null));
        }
        JsonNode review = referral.path("review");
        if (review.isObject()) {
            lines.add(new Line("Reviewed by a compliance officer: " + Words.of(review.path("outcome").asText())
                                       + (text(review, "notes") == null ? "" : " — " + text(review, "notes")),
                               text(review, "at"), text(review, "by")));
        } else if (referral.path("reviewRequired").asBoolean()) {
            lines.add(new Line("Awaiting a compliance officer's review.", null, null));
        }
        for (JsonNode change : referral.path("history")) {
            lines.add(new Line("Status: " + Words.of(change.path("status").asText())
                                       + (text(change, "note") == null ? "" : " — " + text(change, "note")),
                               text(change, "at"), text(change, "by")));
        }
        return lines;
    }

    static String recipient(JsonNode recipient) {
        String name = text(recipient, "name");
        String organisation = text(recipient, "organisation");
        return (name == null ? "a recipient" : name) + (organisation == null ? "" : ", " + organisation);
    }

    /** Who read the record, as the client's view shows it: the person where shown, else role and clinic. */
    static String reader(JsonNode access) {
        if (text(access, "person") != null) {
            String person = text(access, "person");
            return person.startsWith("client/") ? "you" : person;
        }
        List<String> roles = new ArrayList<>();
        access.path("roles").forEach(r -> roles.add(r.asText()));
        List<String> clinics = new ArrayList<>();
        access.path("clinics").forEach(c -> clinics.add(c.asText()));
        return (roles.isEmpty() ? "someone" : "a " + Words.list(roles)) + (clinics.isEmpty() ? ""
                : " of " + String.join(", ", clinics));
    }

    private static void section(List<Line> lines, String title, String text) {
        if (text != null) {
            lines.add(new Line(title + ": " + text, null, null));
        }
    }

    private static String draftText(JsonNode note) {
        List<String> parts = new ArrayList<>();
        for (String field : List.of("clientReported", "observations", "techniques", "clientResponse")) {
            if (text(note, field) != null) {
                parts.add(text(note, field));
            }
        }
        return parts.isEmpty() ? "(empty)" : String.join(" / ", parts);
    }
}
