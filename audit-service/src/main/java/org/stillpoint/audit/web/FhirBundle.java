package org.stillpoint.audit.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.access.AccessOutcome;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.contracts.session.SessionRecorded;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A client's audit record as a FHIR R4 {@code collection} Bundle: the client as a {@code Patient} (an identifier, no
 * personal data: the audit holds none in clear), one {@code AuditEvent} per timeline entry after the Basic Audit Log
 * Patterns where they fit, and each version of each consent as a {@code Consent} resource. Valid for FHIR's own
 * validator (no {@code total} on a collection, every {@code fullUrl} unique, every reference resolved in the Bundle).
 */
final class FhirBundle {

    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String RESTFUL = "http://hl7.org/fhir/restful-interaction";
    static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    static final String CLIENT_IDS = "urn:stillpoint:client";
    static final String SUBJECTS = "urn:stillpoint:subject";
    static final String SERVICES = "urn:stillpoint:service";
    static final String SCOPES = "urn:stillpoint:consent-scope";

    private final ObjectMapper json;
    private final String clientId;
    private final String organisationId;
    private final Map<String, String> hashes;

    FhirBundle(ObjectMapper json, String clientId, String organisationId, Map<String, String> hashes) {
        this.json = json;
        this.clientId = clientId;
        this.organisationId = organisationId;
        this.hashes = hashes;
    }

    /** The Bundle of {@code entries} (in timeline order), stamped {@code at}. */
    Map<String, Object> of(List<AuditEntry> entries, Instant at) {
        List<Map<String, Object>> bundleEntries = new ArrayList<>();
        bundleEntries.add(entry(patientUrl(), patient()));
        for (AuditEntry e : entries) {
            bundleEntries.add(entry("urn:uuid:" + uuid(e.eventId()), auditEvent(e, event(e))));
        }
        bundleEntries.addAll(consents(entries));
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("resourceType", "Bundle");
        bundle.put("id", UUID.nameUUIDFromBytes(("audit-export/" + clientId + "/" + at).getBytes(StandardCharsets.UTF_8))
                             .toString());
        // how to obtain the form of this record that can be checked offline
        bundle.put("meta", Map.of("tag", List.of(Map.of("system", "urn:stillpoint:audit-export", "code", "verifiable-form",
                                                        "display", Exports.VERIFIABLE_FORM.formatted(clientId)))));
        bundle.put("type", "collection");
        bundle.put("timestamp", at.toString());
        bundle.put("entry", bundleEntries);
        return bundle;
    }

    private Map<String, Object> patient() {
        Map<String, Object> patient = new LinkedHashMap<>();
        patient.put("resourceType", "Patient");
        patient.put("id", clientId);
        patient.put("text", narrative("Client " + clientId + " (no personal data: the audit holds none in clear)"));
        patient.put("identifier", List.of(identifier(CLIENT_IDS, clientId)));
        if (organisationId != null) {
            patient.put("managingOrganization", Map.of("identifier", identifier("urn:stillpoint:organisation",
                                                                                organisationId),
                                                       "display", organisationId));
        }
        return patient;
    }

    // ---------------------------------------------------------------- AuditEvent

    private Map<String, Object> auditEvent(AuditEntry e, Object event) {
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("resourceType", "AuditEvent");
        audit.put("id", uuid(e.eventId()));
        audit.put("text", narrative(e.recordedAt() + " " + e.service() + ": " + e.summary()));
        List<Map<String, Object>> agents = new ArrayList<>();
        agents.add(agent(e.actor()));
        List<Map<String, Object>> purposes = new ArrayList<>();
        String outcome = "0";
        switch (event) {
            case ClientAccessed accessed -> {
                audit.put("type", coding(EVENT_TYPE, "rest", "RESTful Operation"));
                boolean read = accessed.action() == AccessAction.READ;
                audit.put("subtype", List.of(read ? coding(RESTFUL, "read", "read")
                                                  : coding(RESTFUL, "update", "update")));
                audit.put("action", read ? "R" : "U");
                outcome = accessed.outcome() == AccessOutcome.DENIED ? "4" : "0";
            }
            case ReferralIssued issued -> {
                // a disclosure: an export of the record to someone outside
                audit.put("type", coding(DICOM, "110106", "Export"));
                audit.put("action", "R");
                agents.add(recipient(issued));
                purposes.add(concept(ACT_REASON, issued.urgency() == Urgency.EMERGENCY ? "ETREAT" : "TREAT",
                                     issued.urgency() == Urgency.EMERGENCY ? "emergency treatment" : "treatment"));
            }
            default -> {
                audit.put("type", coding(DICOM, "110110", "Patient Record"));
                audit.put("subtype", List.of(coding("urn:stillpoint:event-type", e.type(), e.summary())));
                audit.put("action", creates(event) ? "C" : "U");
                if (e.kind().equals("session")) {
                    purposes.add(concept(ACT_REASON, "TREAT", "treatment"));
                }
            }
        }
        audit.put("period", Map.of("start", e.occurredAt().toString(), "end", e.occurredAt().toString()));
        audit.put("recorded", e.recordedAt().toString());
        audit.put("outcome", outcome);
        putText(audit, "outcomeDesc", e.summary());
        if (!purposes.isEmpty()) {
            audit.put("purposeOfEvent", purposes);
        }
        audit.put("agent", agents);
        Map<String, Object> source = new LinkedHashMap<>();
        putText(source, "site", e.clinicId());
        String service = blank(e.service()) ? "unknown" : e.service();
        source.put("observer", Map.of("identifier", identifier(SERVICES, service), "display", service));
        source.put("type", List.of(coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                                          "Application Server")));
        audit.put("source", source);
        List<Map<String, Object>> entities = new ArrayList<>();
        entities.add(Map.of("what", Map.of("reference", patientUrl()),
                            "type", coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                            "role", coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient")));
        String hash = hashes.get(e.eventId());
        if (hash != null) {
            entities.add(Map.of("what", Map.of("identifier", identifier("urn:stillpoint:ledger-hash", hash)),
                                "description", "SHA-256 link hash of this event in the Stillpoint ledger"));
        }
        audit.put("entity", entities);
        return audit;
    }

    private static Map<String, Object> agent(String actor) {
        String who = blank(actor) ? "unknown" : actor;
        return Map.of("who", Map.of("identifier", identifier(SUBJECTS, who), "display", who), "requestor", true);
    }

    /** The one the record went to: a person or an organisation outside, by name (the contact stays sealed). */
    private static Map<String, Object> recipient(ReferralIssued issued) {
        String name = issued.recipient().name()
                + (issued.recipient().organisation() == null ? "" : ", " + issued.recipient().organisation());
        return Map.of("type", concept(PARTICIPATION, "IRCP", "information recipient"),
                      "who", Map.of("display", name),
                      "requestor", false);
    }

    /** Whether the event creates a part of the record (FHIR's action {@code C}), rather than changing one. */
    private static boolean creates(Object event) {
        return event instanceof ClientRegistered || event instanceof ConsentGranted || event instanceof SessionRecorded
                || event instanceof ErasureRequested;
    }

    // ---------------------------------------------------------------- Consent

    /**
     * Each consent as it stood after each of its events: granted (permit its scopes), each withdrawal (a new version
     * that denies what was withdrawn; inactive once nothing remains), its expiry (inactive).
     */
    private List<Map<String, Object>> consents(List<AuditEntry> entries) {
        Map<String, ConsentGranted> granted = new LinkedHashMap<>();
        Map<String, Set<ConsentScope>> denied = new LinkedHashMap<>();
        Map<String, Integer> versions = new LinkedHashMap<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (AuditEntry e : entries.stream().sorted(Comparator.comparing(AuditEntry::recordedAt)
                                                               .thenComparing(AuditEntry::eventId)).toList()) {
            if (!e.kind().equals("consent")) {
                continue;
            }
            Object event = event(e);
            switch (event) {
                case ConsentGranted g -> {
                    String id = g.consentId().toString();
                    granted.put(id, g);
                    denied.put(id, EnumSet.noneOf(ConsentScope.class));
                    versions.put(id, 1);
                    out.add(consent(g, Set.of(), true, 1));
                }
                case ConsentWithdrawn w when granted.containsKey(w.consentId().toString()) -> {
                    String id = w.consentId().toString();
                    denied.get(id).addAll(w.withdrawnScopes());
                    int version = versions.merge(id, 1, Integer::sum);
                    out.add(consent(granted.get(id), denied.get(id), !w.remainingScopes().isEmpty(), version));
                }
                case ConsentExpired x when granted.containsKey(x.consentId().toString()) -> {
                    String id = x.consentId().toString();
                    int version = versions.merge(id, 1, Integer::sum);
                    out.add(consent(granted.get(id), denied.get(id), false, version));
                }
                default -> {
                }
            }
        }
        return out;
    }

    private Map<String, Object> consent(ConsentGranted g, Set<ConsentScope> denied, boolean active, int version) {
        String id = g.consentId().toString();
        Map<String, Object> consent = new LinkedHashMap<>();
        consent.put("resourceType", "Consent");
        consent.put("id", id);
        consent.put("meta", Map.of("versionId", String.valueOf(version)));
        consent.put("text", narrative("Consent " + id + " version " + version + ", " + (active ? "active" : "inactive")
                + ": permits " + scopes(g.scopes(), denied, false) + (denied.isEmpty() ? ""
                : "; withdrawn " + scopes(g.scopes(), denied, true))));
        consent.put("identifier", List.of(identifier("urn:stillpoint:consent", id)));
        consent.put("status", active ? "active" : "inactive");
        consent.put("scope", concept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"));
        consent.put("category", List.of(concept("http://loinc.org", "59284-0", "Patient Consent")));
        consent.put("patient", Map.of("reference", patientUrl()));
        consent.put("dateTime", g.grantedAt().toString());
        consent.put("performer", List.of(g.grantor() != null && g.grantor().kind() == GrantorKind.GUARDIAN
                ? Map.of("display", "guardian of the client"
                        + (blank(g.grantor().relationship()) ? "" : " (" + g.grantor().relationship() + ")"))
                : Map.of("reference", patientUrl())));
        if (organisationId != null) {
            consent.put("organization", List.of(Map.of("identifier", identifier("urn:stillpoint:organisation",
                                                                                organisationId))));
        }
        if (g.form() != null) {
            consent.put("sourceAttachment", Map.of(
                    "contentType", "text/plain",
                    "url", "urn:stillpoint:consent-form:" + g.form().formId() + ":" + g.form().version(),
                    "title", "consent form " + g.form().formId() + " version " + g.form().version()
                            + " (text SHA-256 " + g.form().textSha256() + "), " + g.method()));
        }
        if (g.form() != null) {
            consent.put("policy", List.of(Map.of("uri", "urn:stillpoint:consent-form:" + g.form().formId() + ":"
                    + g.form().version())));
        }
        Map<String, Object> provision = new LinkedHashMap<>();
        provision.put("type", "permit");
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("start", g.grantedAt().toString());
        if (g.expiresAt() != null) {
            period.put("end", g.expiresAt().toString());
        }
        provision.put("period", period);
        List<Map<String, Object>> nested = new ArrayList<>();
        for (ConsentScope scope : new TreeSet<>(g.scopes())) {
            nested.add(Map.of("type", denied.contains(scope) ? "deny" : "permit",
                              "code", List.of(concept(SCOPES, scope.name(), scope.name().toLowerCase()
                                                                                 .replace('_', ' ')))));
        }
        provision.put("provision", nested);
        consent.put("provision", provision);
        return entry("urn:uuid:" + UUID.nameUUIDFromBytes(("consent/" + id + "/" + version)
                                                                  .getBytes(StandardCharsets.UTF_8)), consent);
    }

    private static String scopes(Set<ConsentScope> granted, Set<ConsentScope> denied, boolean withdrawn) {
        List<String> names = new TreeSet<>(granted).stream().filter(s -> denied.contains(s) == withdrawn)
                                                      .map(Enum::name).toList();
        return names.isEmpty() ? "nothing" : String.join(", ", names);
    }

    // ---------------------------------------------------------------- pieces

    /** The published event of an entry, as its contract type; the entry's raw JSON when its type is not one. */
    private Object event(AuditEntry e) {
        return PublishedTypes.of(e.type()).<Object>map(type -> {
            try {
                return json.readValue(e.payload(), type);
            } catch (JsonProcessingException ex) {
                return e.payload();
            }
        }).orElse(e.payload());
    }

    private String patientUrl() {
        return "urn:uuid:" + clientId;
    }

    /** An event id as a UUID: itself when it is one, else a UUID named by it (so the fullUrl stays a urn:uuid). */
    private static String uuid(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
        }
    }

    /** FHIR has no empty strings: a blank value is left out. */
    private static void putText(Map<String, Object> element, String name, String value) {
        if (!blank(value)) {
            element.put(name, value);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Map<String, Object> entry(String fullUrl, Map<String, Object> resource) {
        return Map.of("fullUrl", fullUrl, "resource", resource);
    }

    /** The resource's human-readable narrative, {@code text}: generated from {@code summary}. */
    private static Map<String, Object> narrative(String summary) {
        String escaped = summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return Map.of("status", "generated", "div", "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escaped + "</div>");
    }

    private static Map<String, Object> identifier(String system, String value) {
        return Map.of("system", system, "value", value);
    }

    private static Map<String, Object> coding(String system, String code, String display) {
        return Map.of("system", system, "code", code, "display", display);
    }

    private static Map<String, Object> concept(String system, String code, String display) {
        return Map.of("coding", List.of(coding(system, code, display)), "text", display);
    }
}
