package org.stillpoint.audit.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client's audit record for offline review: JSON, CSV, or a FHIR R4 {@code Bundle} of {@code AuditEvent}s. Every
 * entry carries its ledger hash, so the export can be checked against the ledger's verification.
 */
@Component
public class Exports {

    private final Ledger ledger;
    private final ObjectMapper json;

    public Exports(Ledger ledger, ObjectMapper stillpointEventJson) {
        this.ledger = ledger;
        this.json = stillpointEventJson;
    }

    /** Entries as the API and the JSON export show them, their ledger hashes read in one query. */
    List<Map<String, Object>> rows(List<AuditEntry> entries, boolean withEvents) {
        Map<String, String> hashes = hashes(entries);
        return entries.stream().map(e -> row(e, withEvents, hashes)).toList();
    }

    String json(AuditClient client, Map<String, Object> disclosures, Instant at) {
        Map<String, String> hashes = hashes(client.entries());
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("clientId", client.clientId());
        export.put("organisationId", client.organisationId());
        export.put("clinicId", client.clinicId());
        export.put("exportedAt", at.toString());
        export.put("timeline", client.entries().stream().map(e -> row(e, true, hashes)).toList());
        export.put("disclosures", disclosures.get("disclosures"));
        export.put("accesses", client.entries().stream().filter(e -> e.kind().equals("access"))
                                     .map(e -> row(e, true, hashes)).toList());
        return write(export);
    }

    String csv(AuditClient client) {
        Map<String, String> hashes = hashes(client.entries());
        StringBuilder csv = new StringBuilder("section,eventId,type,occurredAt,recordedAt,actor,clinicId,subject,outcome,"
                                                      + "summary,ledgerHash\r\n");
        for (AuditEntry e : client.entries()) {
            line(csv, "timeline", e, hashes);
        }
        for (AuditEntry e : client.entries()) {
            if (e.type().startsWith("stillpoint.referral.issued")) {
                line(csv, "disclosure", e, hashes);
            }
        }
        for (AuditEntry e : client.entries()) {
            if (e.kind().equals("access")) {
                line(csv, "access", e, hashes);
            }
        }
        return csv.toString();
    }

    /** FHIR R4: a collection Bundle, one AuditEvent per entry, the client as the entity, the ledger hash beside it. */
    String fhir(AuditClient client, Instant at) {
        Map<String, String> hashes = hashes(client.entries());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (AuditEntry e : client.entries()) {
            boolean access = e.kind().equals("access");
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("resourceType", "AuditEvent");
            event.put("id", e.eventId());
            event.put("type", access
                    ? Map.of("system", "http://terminology.hl7.org/CodeSystem/audit-event-type", "code", "rest",
                             "display", "RESTful Operation")
                    : Map.of("system", "urn:stillpoint:event-type", "code", e.type(), "display", e.summary()));
            event.put("action", access ? (e.summary().startsWith("READ") ? "R" : "U")
                    : e.type().contains("registered") || e.type().contains("granted") || e.type().contains("recorded")
                      || e.type().contains("issued") ? "C" : "U");
            event.put("period", Map.of("start", e.occurredAt().toString(), "end", e.occurredAt().toString()));
            event.put("recorded", e.recordedAt().toString());
            event.put("outcome", "DENIED".equals(e.outcome()) ? "4" : "0");
            event.put("outcomeDesc", e.summary());
            event.put("agent", List.of(Map.of("who", Map.of("identifier", Map.of("system", "urn:stillpoint:subject",
                                                                                 "value", String.valueOf(e.actor()))),
                                              "requestor", true)));
            event.put("source", Map.of("site", String.valueOf(e.clinicId()),
                                       "observer", Map.of("display", String.valueOf(e.service()))));
            List<Map<String, Object>> entities = new ArrayList<>();
            entities.add(Map.of("what", Map.of("identifier", Map.of("system", "urn:stillpoint:client",
                                                                   "value", client.clientId())),
                                "type", Map.of("system", "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                                               "code", "1", "display", "Person")));
            String hash = hashes.get(e.eventId());
            if (hash != null) {
                entities.add(Map.of("what", Map.of("identifier", Map.of("system", "urn:stillpoint:ledger-hash",
                                                                       "value", hash)),
                                    "description", "SHA-256 link hash of this event in the Stillpoint ledger"));
            }
            event.put("entity", entities);
            entries.add(Map.of("fullUrl", "urn:uuid:" + e.eventId(), "resource", event));
        }
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "collection");
        bundle.put("timestamp", at.toString());
        bundle.put("total", entries.size());
        bundle.put("entry", entries);
        return write(bundle);
    }

    /** An entry as the API and the JSON export show it, with its ledger hash; the event itself only when asked for. */
    private static Map<String, Object> row(AuditEntry e, boolean withEvent, Map<String, String> hashes) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("eventId", e.eventId());
        row.put("type", e.type());
        row.put("service", e.service());
        row.put("occurredAt", e.occurredAt());
        row.put("recordedAt", e.recordedAt());
        row.put("actor", e.actor());
        row.put("clinicId", e.clinicId());
        row.put("subject", e.subject());
        row.put("consents", e.consents());
        row.put("outcome", e.outcome());
        row.put("summary", e.summary());
        row.put("ledgerHash", hashes.get(e.eventId()));
        if (withEvent) {
            row.put("event", e.payload());
        }
        return row;
    }

    private static void line(StringBuilder csv, String section, AuditEntry e, Map<String, String> hashes) {
        List<String> cells = List.of(section, e.eventId(), e.type(), e.occurredAt().toString(), e.recordedAt().toString(),
                                     nullToEmpty(e.actor()), nullToEmpty(e.clinicId()), nullToEmpty(e.subject()),
                                     nullToEmpty(e.outcome()), e.summary(), nullToEmpty(hashes.get(e.eventId())));
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            String cell = cells.get(i);
            // a cell starting with = + - @, a tab or a carriage return would run as a formula in a spreadsheet
            // (OWASP's CSV injection advice): quote it as text
            if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
                cell = "'" + cell;
            }
            csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
        }
        csv.append("\r\n");
    }

    private Map<String, String> hashes(List<AuditEntry> entries) {
        return ledger.hashesOf(entries.stream().map(AuditEntry::eventId).toList());
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
