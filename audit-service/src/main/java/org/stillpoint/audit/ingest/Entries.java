package org.stillpoint.audit.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.stillpoint.audit.query.AuditEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Reads a published event into a timeline entry: its times, actor, clinic, consents and a summary without free text. */
final class Entries {

    private Entries() {
    }

    static AuditEntry of(String eventId, String clientId, String type, String source, Instant recordedAt, JsonNode e,
                         String payload) {
        String name = type.replaceFirst("\\.v\\d+$", "");
        String kind = name.split("\\.")[1];
        String service = source == null ? null : source.substring(source.lastIndexOf('/') + 1);
        return switch (name) {
            case "stillpoint.consent.client-registered" -> entry(eventId, clientId, type, kind, service, time(e, "registeredAt", recordedAt),
                    recordedAt, subject(e, "registeredBy"), text(e, "clinicId"), text(e, "clientId"), List.of(),
                    "client registered at " + text(e, "clinicId"), null, payload);
            case "stillpoint.consent.granted" -> entry(eventId, clientId, type, kind, service, time(e, "grantedAt", recordedAt), recordedAt,
                    subject(e, "recordedBy"), text(e, "clinicId"), text(e, "consentId"), List.of(),
                    "consent granted for " + list(e.get("scopes")) + " (" + text(e.path("form"), "formId") + " "
                            + text(e.path("form"), "version") + ", " + text(e, "method") + ")"
                            + (e.hasNonNull("expiresAt") ? ", until " + text(e, "expiresAt") : "")
                            + (e.path("lateEntry").asBoolean() ? " (late entry, recorded " + text(e, "recordedAt")
                                                                     + ")" : ""), null, payload);
            case "stillpoint.consent.withdrawn" -> entry(eventId, clientId, type, kind, service, time(e, "withdrawnAt", recordedAt),
                    recordedAt, subject(e, "recordedBy"), null, text(e, "consentId"), List.of(),
                    "consent withdrawn for " + list(e.get("withdrawnScopes")) + "; remaining "
                            + list(e.get("remainingScopes")), null, payload);
            case "stillpoint.consent.expired" -> entry(eventId, clientId, type, kind, service, time(e, "expiredAt", recordedAt), recordedAt,
                    "system/consent-expiry", null, text(e, "consentId"), List.of(),
                    "consent expired for " + list(e.get("scopes")), null, payload);
            case "stillpoint.consent.erasure-requested" -> entry(eventId, clientId, type, kind, service,
                    time(e, "requestedAt", recordedAt), recordedAt, subject(e, "requestedBy"), text(e, "clinicId"),
                    text(e, "requestId"), List.of(), "erasure requested (" + text(e, "legalBasis") + ")", "PENDING",
                    payload);
            case "stillpoint.consent.erasure-request-withdrawn" -> entry(eventId, clientId, type, kind, service,
                    time(e, "withdrawnAt", recordedAt), recordedAt, subject(e, "withdrawnBy"), null,
                    text(e, "requestId"), List.of(), "erasure request withdrawn", "WITHDRAWN", payload);
            case "stillpoint.consent.erasure-refused" -> entry(eventId, clientId, type, kind, service,
                    time(e, "refusedAt", recordedAt), recordedAt, subject(e, "refusedBy"), null, text(e, "requestId"),
                    List.of(), "erasure approval refused: " + text(e, "rule") + ", kept until "
                            + text(e, "keptUntil"), "REFUSED", payload);
            case "stillpoint.consent.client-erased" -> entry(eventId, clientId, type, kind, service,
                    time(e, "erasedAt", recordedAt), recordedAt, subject(e, "approvedBy"), text(e, "clinicId"),
                    text(e, "requestId"), List.of(), "client erased (" + text(e, "legalBasis") + "; requested by "
                            + subject(e, "requestedBy") + ", approved by " + subject(e, "approvedBy")
                            + (e.hasNonNull("legalOverride") ? "; retention overridden: " + text(e, "legalOverride")
                                                               : "") + ")", "ERASED", payload);
            case "stillpoint.session.recorded" -> entry(eventId, clientId, type, kind, service, time(e, "startedAt", recordedAt), recordedAt,
                    subject(e, "recordedBy"), text(e, "clinicId"), text(e, "sessionId"), consents(e),
                    "session recorded: " + list(e.get("modalities")) + ", " + e.path("durationMinutes").asInt()
                            + " min by " + subject(e, "practitioner")
                            + (e.path("lateEntry").asBoolean() ? " (late entry, recorded " + text(e, "recordedAt")
                                                                     + ")" : ""), null, payload);
            case "stillpoint.session.note-revised" -> entry(eventId, clientId, type, kind, service, time(e, "revisedAt", recordedAt),
                    recordedAt, subject(e, "revisedBy"), null, text(e, "sessionId"), List.of(), "draft note revised",
                    null, payload);
            case "stillpoint.session.note-signed" -> entry(eventId, clientId, type, kind, service, time(e, "signedAt", recordedAt),
                    recordedAt, subject(e, "signedBy"), null, text(e, "sessionId"), List.of(), "note signed and locked",
                    null, payload);
            case "stillpoint.session.note-amended" -> entry(eventId, clientId, type, kind, service, time(e, "amendedAt", recordedAt),
                    recordedAt, subject(e, "amendedBy"), null, text(e, "sessionId"), List.of(),
                    "note amended (#" + e.path("number").asInt() + ", " + text(e, "section") + ")", null, payload);
            case "stillpoint.referral.issued" -> entry(eventId, clientId, type, kind, service, time(e, "issuedAt", recordedAt), recordedAt,
                    subject(e, "issuedBy"), text(e, "clinicId"), text(e, "referralId"), consents(e),
                    "referral issued to " + text(e.path("recipient"), "name") + " (" + text(e.path("recipient"), "kind")
                            + "), " + text(e, "urgency") + ", sharing " + list(e.get("sharedCategories"))
                            + (e.path("emergencyOverride").asBoolean() ? ", emergency override" : ""), null, payload);
            case "stillpoint.referral.status-changed" -> entry(eventId, clientId, type, kind, service, time(e, "changedAt", recordedAt),
                    recordedAt, subject(e, "changedBy"), null, text(e, "referralId"), List.of(),
                    "referral " + text(e, "from") + " → " + text(e, "to"), null, payload);
            case "stillpoint.access.client-accessed" -> entry(eventId, clientId, type, kind, service, time(e, "at", recordedAt), recordedAt,
                    subject(e, "actor"), String.join(",", strings(e.get("actorClinics"))), null, List.of(),
                    text(e, "action") + " " + text(e, "resource")
                            + (e.hasNonNull("reason") ? " — denied: " + text(e, "reason") : ""),
                    text(e, "outcome"), payload);
            case "stillpoint.access.dead-letter-handled" -> entry(eventId, clientId, type, kind, service, time(e, "at", recordedAt),
                    recordedAt, subject(e, "operator"), null, text(e, "deadLetterId"), List.of(),
                    "operator " + text(e, "action").toLowerCase() + " a parked " + text(e, "recordType") + " record ("
                            + text(e, "parkedFor") + ") of " + text(e, "group")
                            + (e.hasNonNull("reason") ? ": " + text(e, "reason") : ""),
                    text(e, "outcome"), payload);
            default -> entry(eventId, clientId, type, kind, service, recordedAt, recordedAt, null, null, null, List.of(), type, null,
                             payload);
        };
    }

    private static AuditEntry entry(String eventId, String clientId, String type, String kind, String service,
                                    Instant occurredAt, Instant recordedAt, String actor, String clinicId,
                                    String subject, List<String> consents, String summary, String outcome,
                                    String payload) {
        return new AuditEntry(eventId, clientId, type, kind, service, occurredAt, recordedAt, actor, clinicId, subject,
                              consents, summary, outcome, payload);
    }

    private static List<String> consents(JsonNode e) {
        List<String> consents = new ArrayList<>();
        for (JsonNode c : e.path("consents")) {
            consents.add(text(c, "consentId") + " v" + c.path("version").asInt() + ": " + list(c.get("scopes")));
        }
        return consents;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String subject(JsonNode e, String field) {
        return text(e.path(field), "subject");
    }

    private static Instant time(JsonNode e, String field, Instant otherwise) {
        String text = text(e, field);
        return text == null ? otherwise : Instant.parse(text);
    }

    private static List<String> strings(JsonNode array) {
        return array == null ? List.of()
                : StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).sorted().toList();
    }

    private static String list(JsonNode array) {
        return strings(array).stream().collect(Collectors.joining(", ", "[", "]"));
    }
}
