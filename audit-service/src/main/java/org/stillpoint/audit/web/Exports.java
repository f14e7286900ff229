package org.stillpoint.audit.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.stillpoint.audit.ledger.Checkpoints;
import org.stillpoint.audit.ledger.Ledger;
import org.stillpoint.audit.ledger.LedgerProof;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.ClientHistory;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.platform.record.RecordSigner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A client's audit record for offline review: JSON, CSV, or a FHIR R4 {@code Bundle} of {@code AuditEvent}s. Every
 * entry carries its ledger hash. The JSON export is the verifiable form ({@value #FORMAT}): it carries the proof of the
 * client's links against the latest signed checkpoint ({@link LedgerProof}) and is itself signed by the audit-service
 * (a JWS over the SHA-256 of its canonical JSON, {@link Canonical}), so ledger-verifier refuses any edit of what a
 * reader sees. An export reads: it signs no checkpoint and writes nothing.
 */
@Component
record Exports(Ledger ledger, Checkpoints checkpoints, MongoTemplate mongo,
               @Qualifier("stillpointEventJson") ObjectMapper json, RecordSigner signer) {

    /** The name and version of the verifiable JSON export. */
    public static final String FORMAT = "stillpoint-audit-export/2";
    /** The JWS type of an export's signature. */
    public static final String SIGNATURE_TYPE = "stillpoint-audit-export+jwt";
    /** What the CSV and FHIR files say of the verifiable form. */
    static final String VERIFIABLE_FORM = "This file is not checkable by itself. Its verifiable form is the JSON export "
            + "(GET /api/audit/clients/%s/export?format=json), which ledger-verifier checks offline against the "
            + "audit-service's published keys.";

    /** The events that disclose a client's information: a referral issued, in either revision. */
    private static final Set<Class<?>> DISCLOSURES = Set.of(ReferralIssued.class, ReferralIssuedRevision1.class);

    /** The formats a client's record downloads in. */
    private static final List<String> FORMATS = List.of("json", "csv", "fhir");

    /** Refuses, naming the parameter, a format the record does not download in: before the record is read. */
    static void requireFormat(String format) {
        if (!FORMATS.contains(format)) {
            throw Refusal.invalid("invalid-parameter", "format", "format must be json, csv or fhir.");
        }
    }

    /** The client's record as a file to download: {@code json}, {@code csv} or {@code fhir}. */
    ResponseEntity<String> download(ClientHistory history, String format, Instant at) {
        String file = "audit-" + history.client().clientId();
        return switch (format) {
            case "csv" -> ResponseEntity.ok().contentType(new MediaType("text", "csv"))
                                        .header("Content-Disposition", "attachment; filename=\"" + file + ".csv\"")
                                        .body(csv(history));
            case "fhir" -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/fhir+json"))
                                         .header("Content-Disposition", "attachment; filename=\"" + file + ".fhir.json\"")
                                         .body(fhir(history, at));
            default -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                                     .header("Content-Disposition", "attachment; filename=\"" + file + ".json\"")
                                     .body(json(history, at));
        };
    }

    /** Entries as the API and the JSON export show them, their ledger hashes read in one query. */
    List<EntryView> rows(List<AuditEntry> entries, boolean withEvents) {
        Map<String, String> hashes = hashes(entries);
        return entries.stream().map(e -> row(e, withEvents, hashes)).toList();
    }

    String json(ClientHistory history, Instant at) {
        AuditClient client = history.client();
        List<AuditEntry> entries = history.entries();
        Map<String, String> hashes = hashes(entries);
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("format", FORMAT);
        export.put("clientId", client.clientId());
        export.put("organisationId", client.organisationId());
        export.put("clinicId", client.clinicId());
        export.put("exportedAt", at.toString());
        export.put("timeline", entries.stream().map(e -> row(e, true, hashes)).toList());
        ClientHistory.DisclosuresView disclosures = history.disclosures(at);
        export.put("disclosuresSince", disclosures.since().toString());
        export.put("disclosures", disclosures.disclosures());
        export.put("accesses", entries.stream().filter(e -> e.kind().equals("access"))
                                     .map(e -> row(e, true, hashes)).toList());
        if (client.organisationId() != null) {
            // for an offline check (ledger-verifier): the client's links proved against the latest signed checkpoint
            export.put("ledger", LedgerProof.of(mongo, checkpoints.tree(), client.organisationId(),
                                                entries.stream().map(AuditEntry::eventId).toList(),
                                                checkpoints.latestWithTree(client.organisationId()).orElse(null)));
        }
        return signed(export, client, at);
    }

    /** The export with its signature: a JWS over the SHA-256 of the export's canonical JSON, as written. */
    private String signed(Map<String, Object> export, AuditClient client, Instant at) {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("format", FORMAT);
        about.put("organisation", client.organisationId());
        about.put("client", client.clientId());
        about.put("exportedAt", at.toString());
        return SignedFile.of(json, signer, SIGNATURE_TYPE, export, about);
    }

    String csv(ClientHistory history) {
        List<AuditEntry> entries = history.entries();
        Map<String, String> hashes = hashes(entries);
        StringBuilder csv = new StringBuilder("section,eventId,type,occurredAt,recordedAt,actor,clinicId,subject,outcome,"
                                                      + "summary,ledgerHash\r\n");
        for (AuditEntry e : entries) {
            line(csv, "timeline", e, hashes);
        }
        for (AuditEntry e : entries) {
            if (PublishedTypes.of(e.type()).filter(DISCLOSURES::contains).isPresent()) {
                line(csv, "disclosure", e, hashes);
            }
        }
        for (AuditEntry e : entries) {
            if (e.kind().equals("access")) {
                line(csv, "access", e, hashes);
            }
        }
        List<String> about = new ArrayList<>(List.of("verification", "", "", "", "", "", "", "", "",
                                                     VERIFIABLE_FORM.formatted(history.client().clientId()), ""));
        csv.append(about.stream().map(c -> '"' + c.replace("\"", "\"\"") + '"').collect(Collectors.joining(",")))
           .append("\r\n");
        return csv.toString();
    }

    /** FHIR R4: a collection Bundle of the client (a Patient), an AuditEvent per entry and the consents ({@link FhirBundle}). */
    String fhir(ClientHistory history, Instant at) {
        AuditClient client = history.client();
        List<AuditEntry> entries = history.entries();
        return new FhirBundle(json, client.clientId(), client.organisationId(), hashes(entries)).of(entries, at);
    }

    /**
     * An entry as the API and the JSON export show it, with its ledger hash; the event itself only when asked for.
     *
     * @param event the event's JSON as published (sealed fields still sealed), in exports only
     */
    public record EntryView(String eventId, String type, String service, Instant occurredAt, Instant recordedAt,
                            String actor, String clinicId, String subject, List<String> consents, String outcome,
                            String summary, String ledgerHash, @JsonInclude(JsonInclude.Include.NON_NULL) String event) {
    }

    private static EntryView row(AuditEntry e, boolean withEvent, Map<String, String> hashes) {
        return new EntryView(e.eventId(), e.type(), e.service(), e.occurredAt(), e.recordedAt(), e.actor(), e.clinicId(),
                             e.subject(), e.consents(), e.outcome(), e.summary(), hashes.get(e.eventId()),
                             withEvent ? e.payload() : null);
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
}
