package org.stillpoint.consent.copy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The client's copy as a FHIR R4 {@code collection} Bundle (GDPR Art. 20: structured, commonly used, machine-readable),
 * written entry by entry as the parts arrive, each resource built with HAPI's typed R4 model and written by its parser:
 * the client as a {@code Patient} with their details; each version of each consent as a {@code Consent}; each session
 * as a {@code Procedure} with its note, signature, amendments and late-entry reason as annotations; each referral as a
 * {@code ServiceRequest} with its recipient, reason and status history; each access and each disclosure as an
 * {@code AuditEvent}. Every resource carries a short narrative; every reference resolves inside the Bundle.
 */
final class FhirCopy implements CopyForm {

    static final String CLIENT_IDS = "urn:stillpoint:client";
    static final String ORGANISATIONS = "urn:stillpoint:organisation";
    static final String SCOPES = "urn:stillpoint:consent-scope";
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private final Writer out;
    private final IParser parser = R4.CONTEXT.newJsonParser();
    private final String patientUrl;
    private String withheldBecause;
    private int count;

    FhirCopy(Writer out, UUID requestId, String clientId, Instant at) {
        this.out = out;
        this.patientUrl = "urn:uuid:" + clientId;
        write("{\"resourceType\":\"Bundle\",\"id\":\"" + requestId + "\",\"type\":\"collection\",\"timestamp\":\""
                      + at + "\",\"entry\":[");
    }

    /** HAPI's R4 context: made once, on the first copy (it reads the whole model), and shared. */
    private static final class R4 {
        private static final FhirContext CONTEXT = FhirContext.forR4Cached();
    }

    @Override
    public void part(String part, JsonNode header) {
        if (part.equals("consents")) {
            entry(patientUrl, patient(header.path("client")));
        }
        if (part.equals("sessions")) {
            withheldBecause = withheld(header);
        }
    }

    @Override
    public void item(String part, JsonNode item) {
        switch (part) {
            case "consents" -> consents(item);
            case "sessions" -> entry(url("session", item.path("sessionId").asText()), procedure(item));
            case "referrals" -> entry(url("referral", item.path("referralId").asText()), serviceRequest(item));
            case "accesses" -> entry(url("access", item.path("at").asText() + "/" + count), access(item));
            case "disclosures" -> entry(url("disclosure", item.path("eventId").asText()), disclosure(item));
            default -> {
            }
        }
    }

    @Override
    public void finish() {
        write("]}");
    }

    @Override
    public int count() {
        return count;
    }

    // ---------------------------------------------------------------- Patient

    private Patient patient(JsonNode client) {
        Patient patient = new Patient();
        patient.setId(client.path("clientId").asText());
        patient.addIdentifier(new Identifier().setSystem(CLIENT_IDS).setValue(client.path("clientId").asText()));
        String given = text(client, "givenName");
        String family = text(client, "familyName");
        if (given != null || family != null) {
            var name = patient.addName();
            if (given != null) {
                name.addGiven(given);
            }
            if (family != null) {
                name.setFamily(family);
            }
        }
        if (text(client, "dateOfBirth") != null) {
            patient.setBirthDateElement(new DateType(text(client, "dateOfBirth")));
        }
        if (text(client, "email") != null) {
            patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(text(client, "email"));
        }
        if (text(client, "phone") != null) {
            patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(text(client, "phone"));
        }
        patient.setManagingOrganization(new Reference().setIdentifier(
                new Identifier().setSystem(ORGANISATIONS).setValue(client.path("organisationId").asText()))
                                                       .setDisplay(client.path("organisationId").asText()));
        narrate(patient, "Client " + (given == null ? "" : given + " ") + (family == null ? "" : family)
                + ", registered at " + client.path("clinicId").asText() + " on " + client.path("registeredAt").asText());
        return patient;
    }

    // ---------------------------------------------------------------- Consent

    /** Each version of a consent: version 1 as granted, then one per change of its history (a withdrawal, its expiry). */
    private void consents(JsonNode consent) {
        String id = consent.path("consentId").asText();
        Set<String> granted = strings(consent.path("grantedScopes"));
        Set<String> withdrawn = new LinkedHashSet<>();
        JsonNode history = consent.path("history");
        for (int version = 1; version <= Math.max(1, history.size()); version++) {
            JsonNode change = history.path(version - 1);
            String kind = change.path("change").asText("GRANTED");
            boolean active = true;
            if (kind.equals("WITHDRAWN")) {
                withdrawn.addAll(strings(change.path("scopes")));
                active = !withdrawn.containsAll(granted);
            } else if (kind.equals("EXPIRED")) {
                active = false;
            }
            entry(url("consent", id + "/" + version), consent(consent, version, kind, change, granted, withdrawn,
                                                               active));
        }
    }

    private Consent consent(JsonNode c, int version, String kind, JsonNode change, Set<String> granted,
                            Set<String> withdrawn, boolean active) {
        String id = c.path("consentId").asText();
        Consent consent = new Consent();
        consent.setId(uuid("consent", id + "/" + version));
        consent.getMeta().setVersionId(String.valueOf(version));
        consent.addIdentifier(new Identifier().setSystem("urn:stillpoint:consent").setValue(id));
        consent.setStatus(active ? Consent.ConsentState.ACTIVE : Consent.ConsentState.INACTIVE);
        consent.setScope(concept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"));
        consent.addCategory(concept("http://loinc.org", "59284-0", "Patient Consent"));
        consent.setPatient(new Reference(patientUrl));
        consent.setDateTimeElement(new DateTimeType(change.path("at").asText(c.path("grantedAt").asText())));
        JsonNode grantor = c.path("grantor");
        consent.addPerformer("GUARDIAN".equals(grantor.path("kind").asText())
                                     ? new Reference().setDisplay("guardian" + (text(grantor, "name") == null ? ""
                : " " + text(grantor, "name")) + (text(grantor, "relationship") == null ? ""
                : " (" + text(grantor, "relationship") + ")"))
                                     : new Reference(patientUrl));
        JsonNode form = c.path("form");
        if (!form.isMissingNode() && !form.isNull()) {
            String formUrl = "urn:stillpoint:consent-form:" + form.path("formId").asText() + ":"
                    + form.path("version").asText();
            consent.setSource(new Attachment().setContentType("text/plain").setUrl(formUrl)
                                              .setTitle("consent form " + form.path("formId").asText() + " version "
                                                                + form.path("version").asText() + " (text SHA-256 "
                                                                + form.path("textSha256").asText() + "), "
                                                                + Words.of(c.path("method").asText())));
            consent.addPolicy().setUri(formUrl);
        }
        Consent.ProvisionComponent provision = consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        Period period = new Period().setStartElement(new DateTimeType(c.path("grantedAt").asText()));
        if (text(c, "expiresAt") != null) {
            period.setEndElement(new DateTimeType(text(c, "expiresAt")));
        }
        provision.setPeriod(period);
        for (String scope : granted) {
            if (!withdrawn.contains(scope)) {
                provision.addCode(new CodeableConcept(new Coding(SCOPES, scope, Words.of(scope))));
            }
        }
        if (!withdrawn.isEmpty()) {
            Consent.ProvisionComponent denied = provision.addProvision().setType(Consent.ConsentProvisionType.DENY);
            withdrawn.forEach(scope -> denied.addCode(new CodeableConcept(new Coding(SCOPES, scope, Words.of(scope)))));
        }
        narrate(consent, "Consent " + id + ", version " + version + " (" + Words.of(kind) + " on "
                + change.path("at").asText(c.path("grantedAt").asText()) + "): " + (active ? "active" : "inactive")
                + "; covers " + Words.list(granted.stream().filter(s -> !withdrawn.contains(s)).toList())
                + (withdrawn.isEmpty() ? "" : "; withdrawn: " + Words.list(List.copyOf(withdrawn)))
                + (text(c, "boundaries") == null ? "" : ". Boundaries: " + text(c, "boundaries"))
                + (text(c, "witness") == null ? "" : ". Witness: " + text(c, "witness"))
                + (text(change, "reason") == null ? "" : ". Reason: " + text(change, "reason"))
                + (c.path("lateEntry").asBoolean() ? ". Recorded late: " + text(c, "lateEntryReason") : ""));
        return consent;
    }

    // ---------------------------------------------------------------- Procedure

    private Procedure procedure(JsonNode s) {
        Procedure procedure = new Procedure();
        procedure.setId(uuid("session", s.path("sessionId").asText()));
        procedure.addIdentifier(new Identifier().setSystem("urn:stillpoint:session").setValue(s.path("sessionId").asText()));
        procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
        List<String> modalities = new ArrayList<>();
        s.path("modalities").forEach(m -> modalities.add(m.asText()));
        CodeableConcept code = new CodeableConcept().setText(Words.list(modalities));
        modalities.forEach(m -> code.addCoding(new Coding("urn:stillpoint:modality", m, Words.of(m))));
        procedure.setCode(code);
        procedure.setSubject(new Reference(patientUrl));
        Instant start = Instant.parse(s.path("startedAt").asText());
        procedure.setPerformed(new Period().setStartElement(new DateTimeType(start.toString()))
                                           .setEndElement(new DateTimeType(start.plusSeconds(
                                                   60L * s.path("durationMinutes").asInt()).toString())));
        procedure.addPerformer().setActor(new Reference().setDisplay(s.path("practitioner").asText()));
        procedure.setLocation(new Reference().setDisplay("clinic " + s.path("clinicId").asText()));
        for (Notes.Line line : Notes.of(s, withheldBecause)) {
            Annotation note = procedure.addNote().setText(line.text());
            if (line.at() != null) {
                note.setTimeElement(new DateTimeType(line.at()));
            }
            if (line.by() != null) {
                note.setAuthor(new org.hl7.fhir.r4.model.StringType(line.by()));
            }
        }
        narrate(procedure, "Session of " + start + ", " + s.path("durationMinutes").asInt() + " minutes: "
                + Words.list(modalities) + ("SIGNED".equals(s.path("status").asText()) ? "; note signed" : "; note not signed"));
        return procedure;
    }

    // ---------------------------------------------------------------- ServiceRequest

    private ServiceRequest serviceRequest(JsonNode r) {
        ServiceRequest request = new ServiceRequest();
        request.setId(uuid("referral", r.path("referralId").asText()));
        request.addIdentifier(new Identifier().setSystem("urn:stillpoint:referral").setValue(r.path("referralId").asText()));
        request.setStatus(switch (r.path("status").asText()) {
            case "COMPLETED" -> ServiceRequest.ServiceRequestStatus.COMPLETED;
            case "DECLINED", "CANCELLED" -> ServiceRequest.ServiceRequestStatus.REVOKED;
            default -> ServiceRequest.ServiceRequestStatus.ACTIVE;
        });
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        request.setPriority(switch (r.path("urgency").asText()) {
            case "EMERGENCY" -> ServiceRequest.ServiceRequestPriority.STAT;
            case "URGENT" -> ServiceRequest.ServiceRequestPriority.URGENT;
            default -> ServiceRequest.ServiceRequestPriority.ROUTINE;
        });
        request.setCode(new CodeableConcept().setText("referral"));
        request.setSubject(new Reference(patientUrl));
        request.setAuthoredOnElement(new DateTimeType(r.path("issuedAt").asText()));
        request.setRequester(new Reference().setDisplay(r.path("issuedBy").asText()));
        request.addPerformer(new Reference().setDisplay(Notes.recipient(r.path("recipient"))));
        if (text(r, "reason") != null) {
            request.addReasonCode(new CodeableConcept().setText(text(r, "reason")));
        }
        for (Notes.Line line : Notes.ofReferral(r)) {
            Annotation note = request.addNote().setText(line.text());
            if (line.at() != null) {
                note.setTimeElement(new DateTimeType(line.at()));
            }
        }
        narrate(request, "Referral of " + r.path("issuedAt").asText() + " to " + Notes.recipient(r.path("recipient"))
                + ": " + Words.of(r.path("status").asText()));
        return request;
    }

    // ---------------------------------------------------------------- AuditEvent

    private AuditEvent access(JsonNode a) {
        AuditEvent audit = new AuditEvent();
        audit.setId(uuid("access", a.path("at").asText() + "/" + count));
        boolean read = "READ".equals(a.path("action").asText());
        audit.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        audit.addSubtype(read ? new Coding("http://hl7.org/fhir/restful-interaction", "read", "read")
                                 : new Coding("http://hl7.org/fhir/restful-interaction", "update", "update"));
        audit.setAction(read ? AuditEvent.AuditEventAction.R : AuditEvent.AuditEventAction.U);
        audit.setRecordedElement(new InstantType(a.path("at").asText()));
        audit.setOutcome("ALLOWED".equals(a.path("outcome").asText()) ? AuditEvent.AuditEventOutcome._0
                                 : AuditEvent.AuditEventOutcome._4);
        audit.setOutcomeDesc(Words.of(a.path("outcome").asText()));
        audit.addAgent().setWho(new Reference().setDisplay(Notes.reader(a))).setRequestor(true);
        String service = a.path("service").asText("unknown");
        audit.getSource().setObserver(new Reference().setDisplay(service));
        audit.addEntity().setWhat(new Reference(patientUrl)).setDescription(text(a, "what"));
        narrate(audit, a.path("at").asText() + ": " + Notes.reader(a) + " " + (read ? "read" : "changed")
                + (text(a, "what") == null ? " your record" : " " + text(a, "what")) + " — " + Words.of(a.path("outcome").asText()));
        return audit;
    }

    private AuditEvent disclosure(JsonNode d) {
        AuditEvent audit = new AuditEvent();
        audit.setId(uuid("disclosure", d.path("eventId").asText()));
        audit.setType(new Coding(DICOM, "110106", "Export"));
        audit.setAction(AuditEvent.AuditEventAction.R);
        audit.setRecordedElement(new InstantType(d.path("date").asText()));
        audit.setOutcome(AuditEvent.AuditEventOutcome._0);
        boolean emergency = d.path("emergency").asBoolean();
        boolean integrator = "INTEGRATOR".equals(d.path("recipient").path("kind").asText());
        audit.addPurposeOfEvent(new CodeableConcept(integrator ? new Coding(ACT_REASON, "HOPERAT", "healthcare operations")
                : new Coding(ACT_REASON, emergency ? "ETREAT" : "TREAT", emergency ? "emergency treatment" : "treatment")));
        audit.addAgent().setWho(new Reference().setDisplay(d.path("disclosedBy").asText("unknown"))).setRequestor(true);
        audit.addAgent().setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                                                  "IRCP", "information recipient")))
             .setWho(new Reference().setDisplay(Notes.recipient(d.path("recipient")))).setRequestor(false);
        audit.getSource().setObserver(new Reference().setDisplay(integrator ? "delivery-service" : "referral-service"));
        List<String> shared = new ArrayList<>();
        d.path("shared").forEach(x -> shared.add(x.asText()));
        audit.addEntity().setWhat(new Reference(patientUrl)).setDescription("shared: " + Words.list(shared));
        narrate(audit, d.path("date").asText() + ": disclosed to " + Notes.recipient(d.path("recipient")) + " ("
                + Words.list(shared) + ")" + (emergency ? ", an emergency" : ""));
        return audit;
    }

    // ---------------------------------------------------------------- plumbing

    private void entry(String fullUrl, DomainResource resource) {
        write((count == 0 ? "" : ",") + "{\"fullUrl\":\"" + fullUrl + "\",\"resource\":"
                      + parser.encodeResourceToString(resource) + "}");
        count++;
    }

    private void write(String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(String kind, String id) {
        return "urn:uuid:" + uuid(kind, id);
    }

    private static String uuid(String kind, String id) {
        return UUID.nameUUIDFromBytes((kind + "/" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void narrate(DomainResource resource, String text) {
        resource.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + HtmlUtils.htmlEscape(text) + "</div>");
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }

    /** Why the sessions part holds no notes, as the copy says it; null when it holds them. */
    static String withheld(JsonNode sessionsHeader) {
        if (!"withheld".equals(sessionsHeader.path("notes").asText("withheld"))) {
            return null;
        }
        String because = text(sessionsHeader, "withheldBecause");
        return because == null ? "Your organisation does not release session notes to clients." : because;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
