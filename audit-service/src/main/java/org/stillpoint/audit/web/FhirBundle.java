package org.stillpoint.audit.web;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.ConsentAtActs;
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
import java.util.stream.Collectors;

/**
 * A client's audit record as a FHIR R4 {@code collection} Bundle, built with HAPI FHIR's typed R4 model and written by
 * its JSON parser: the client as a {@code Patient} (an identifier, no personal data: the audit holds none in clear),
 * one {@code AuditEvent} per timeline entry after the Basic Audit Log Patterns where they fit, and each version of each
 * consent as a {@code Consent} resource. Valid for FHIR's own validator (no {@code total} on a collection, every
 * {@code fullUrl} unique, every reference resolved in the Bundle).
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
    static final String ORGANISATIONS = "urn:stillpoint:organisation";

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

    /** The Bundle of {@code entries} (in timeline order), stamped {@code at}, as FHIR JSON. */
    String of(List<AuditEntry> entries, Instant at) {
        Bundle bundle = new Bundle();
        bundle.setId(UUID.nameUUIDFromBytes(("audit-export/" + clientId + "/" + at).getBytes(StandardCharsets.UTF_8))
                         .toString());
        // how to obtain the form of this record that can be checked offline
        bundle.getMeta().addTag("urn:stillpoint:audit-export", "verifiable-form",
                                Exports.VERIFIABLE_FORM.formatted(clientId));
        bundle.setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestampElement(new InstantType(at.toString()));
        bundle.addEntry().setFullUrl(patientUrl()).setResource(patient());
        for (AuditEntry e : entries) {
            bundle.addEntry().setFullUrl("urn:uuid:" + uuid(e.eventId())).setResource(auditEvent(e, event(e)));
        }
        Map<String, Consent> consents = consents(entries);
        consents.forEach((fullUrl, consent) -> bundle.addEntry().setFullUrl(fullUrl).setResource(consent));
        for (ConsentAtActs.Act act : ConsentAtActs.of(entries, this::event)) {
            if (!act.consents().isEmpty()) {
                bundle.addEntry().setFullUrl("urn:uuid:" + provenanceId(act))
                      .setResource(provenance(act, consents.keySet()));
            }
        }
        return R4.context().newJsonParser().encodeResourceToString(bundle);
    }

    /** HAPI's R4 context: made once, on the first export (it reads the whole model), and shared. */
    private static final class R4 {

        private static final FhirContext CONTEXT = FhirContext.forR4Cached();

        static FhirContext context() {
            return CONTEXT;
        }
    }

    private Patient patient() {
        Patient patient = new Patient();
        patient.setId(clientId);
        narrate(patient, "Client " + clientId + " (no personal data: the audit holds none in clear)");
        patient.addIdentifier(identifier(CLIENT_IDS, clientId));
        if (organisationId != null) {
            patient.setManagingOrganization(new Reference().setIdentifier(identifier(ORGANISATIONS, organisationId))
                                                           .setDisplay(organisationId));
        }
        return patient;
    }

    // ---------------------------------------------------------------- AuditEvent

    private AuditEvent auditEvent(AuditEntry e, Object event) {
        AuditEvent audit = new AuditEvent();
        audit.setId(uuid(e.eventId()));
        narrate(audit, e.recordedAt() + " " + e.service() + ": " + e.summary());
        audit.addAgent(agent(e.actor()));
        AuditEvent.AuditEventOutcome outcome = AuditEvent.AuditEventOutcome._0;
        switch (event) {
            case ClientAccessed accessed -> {
                audit.setType(coding(EVENT_TYPE, "rest", "RESTful Operation"));
                boolean read = accessed.action() == AccessAction.READ;
                audit.addSubtype(read ? coding(RESTFUL, "read", "read") : coding(RESTFUL, "update", "update"));
                audit.setAction(read ? AuditEvent.AuditEventAction.R : AuditEvent.AuditEventAction.U);
                // refused, or allowed for a client already erased: either way nothing of the record was returned
                outcome = accessed.outcome() == AccessOutcome.ALLOWED ? outcome : AuditEvent.AuditEventOutcome._4;
            }
            case ReferralIssued issued -> {
                // a disclosure: an export of the record to someone outside
                audit.setType(coding(DICOM, "110106", "Export"));
                audit.setAction(AuditEvent.AuditEventAction.R);
                audit.addAgent(recipient(issued));
                boolean emergency = issued.urgency() == Urgency.EMERGENCY;
                audit.addPurposeOfEvent(concept(ACT_REASON, emergency ? "ETREAT" : "TREAT",
                                                emergency ? "emergency treatment" : "treatment"));
            }
            default -> {
                audit.setType(coding(DICOM, "110110", "Patient Record"));
                audit.addSubtype(coding("urn:stillpoint:event-type", e.type(), e.summary()));
                audit.setAction(creates(event) ? AuditEvent.AuditEventAction.C : AuditEvent.AuditEventAction.U);
                if (e.kind().equals("session")) {
                    audit.addPurposeOfEvent(concept(ACT_REASON, "TREAT", "treatment"));
                }
            }
        }
        audit.setPeriod(new Period().setStartElement(new DateTimeType(e.occurredAt().toString()))
                                    .setEndElement(new DateTimeType(e.occurredAt().toString())));
        audit.setRecordedElement(new InstantType(e.recordedAt().toString()));
        audit.setOutcome(outcome);
        if (!blank(e.summary())) {
            audit.setOutcomeDesc(e.summary());
        }
        AuditEvent.AuditEventSourceComponent source = audit.getSource();
        if (!blank(e.clinicId())) {
            source.setSite(e.clinicId());
        }
        String service = blank(e.service()) ? "unknown" : e.service();
        source.setObserver(new Reference().setIdentifier(identifier(SERVICES, service)).setDisplay(service));
        source.addType(coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        audit.addEntity().setWhat(new Reference(patientUrl()))
             .setType(coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
             .setRole(coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        String hash = hashes.get(e.eventId());
        if (hash != null) {
            audit.addEntity().setWhat(new Reference().setIdentifier(identifier("urn:stillpoint:ledger-hash", hash)))
                 .setDescription("SHA-256 link hash of this event in the Stillpoint ledger");
        }
        return audit;
    }

    private static AuditEvent.AuditEventAgentComponent agent(String actor) {
        String who = blank(actor) ? "unknown" : actor;
        return new AuditEvent.AuditEventAgentComponent()
                .setWho(new Reference().setIdentifier(identifier(SUBJECTS, who)).setDisplay(who)).setRequestor(true);
    }

    /** The one the record went to: a person or an organisation outside, by name (the contact stays sealed). */
    private static AuditEvent.AuditEventAgentComponent recipient(ReferralIssued issued) {
        String name = issued.recipient().name()
                + (issued.recipient().organisation() == null ? "" : ", " + issued.recipient().organisation());
        return new AuditEvent.AuditEventAgentComponent()
                .setType(concept(PARTICIPATION, "IRCP", "information recipient"))
                .setWho(new Reference().setDisplay(name)).setRequestor(false);
    }

    /** Whether the event creates a part of the record (FHIR's action {@code C}), rather than changing one. */
    private static boolean creates(Object event) {
        return event instanceof ClientRegistered || event instanceof ConsentGranted || event instanceof SessionRecorded
                || event instanceof ErasureRequested;
    }

    // ---------------------------------------------------------------- Consent

    /**
     * Each consent as it stood after each of its events, by full URL: granted (permit its scopes), each withdrawal (a
     * new version that denies what was withdrawn; inactive once nothing remains), its expiry (inactive).
     */
    private Map<String, Consent> consents(List<AuditEntry> entries) {
        Map<String, ConsentGranted> granted = new LinkedHashMap<>();
        Map<String, Set<ConsentScope>> denied = new LinkedHashMap<>();
        Map<String, Integer> versions = new LinkedHashMap<>();
        Map<String, Consent> out = new LinkedHashMap<>();
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
                    put(out, g, Set.of(), true, 1);
                }
                case ConsentWithdrawn w when granted.containsKey(w.consentId().toString()) -> {
                    String id = w.consentId().toString();
                    denied.get(id).addAll(w.withdrawnScopes());
                    int version = versions.merge(id, 1, Integer::sum);
                    put(out, granted.get(id), denied.get(id), !w.remainingScopes().isEmpty(), version);
                }
                case ConsentExpired x when granted.containsKey(x.consentId().toString()) -> {
                    String id = x.consentId().toString();
                    int version = versions.merge(id, 1, Integer::sum);
                    put(out, granted.get(id), denied.get(id), false, version);
                }
                default -> {
                }
            }
        }
        return out;
    }

    private void put(Map<String, Consent> out, ConsentGranted g, Set<ConsentScope> denied, boolean active, int version) {
        out.put(consentUrl(g.consentId().toString(), version), consent(g, denied, active, version));
    }

    /** The full URL of a consent's version in the Bundle. */
    private static String consentUrl(String consentId, int version) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(("consent/" + consentId + "/" + version)
                                                            .getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- Provenance

    private static String provenanceId(ConsentAtActs.Act act) {
        return UUID.nameUUIDFromBytes(("provenance/" + act.eventId()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * What a session or referral relied on: a {@code Provenance} whose target is the act's {@code AuditEvent} and whose
     * source entities are the {@code Consent} versions it relied on, with the two verdicts in its text.
     */
    private Provenance provenance(ConsentAtActs.Act act, Set<String> consentUrls) {
        Provenance provenance = new Provenance();
        provenance.setId(provenanceId(act));
        narrate(provenance, "The " + act.kind() + " of " + act.occurredAt() + " (recorded " + act.recordedAt()
                + ") relied on " + act.consents().stream().map(c -> "consent " + c.consentId() + " version "
                + c.version()).collect(Collectors.joining(", ")) + "; in force at its moment: "
                + (act.inForceAtTheAct() ? "yes" : "no") + "; in force when it was recorded: "
                + (act.inForceWhenRecorded() ? "yes" : "no") + ".");
        provenance.addTarget(new Reference("urn:uuid:" + uuid(act.eventId())));
        provenance.setOccurred(new DateTimeType(act.occurredAt().toString()));
        provenance.setRecordedElement(new InstantType(act.recordedAt().toString()));
        String who = blank(act.actor()) ? "unknown" : act.actor();
        provenance.addAgent().setWho(new Reference().setIdentifier(identifier(SUBJECTS, who)).setDisplay(who));
        for (ConsentAtActs.Reliance reliance : act.consents()) {
            String url = consentUrl(reliance.consentId(), reliance.version());
            Reference consent = consentUrls.contains(url) ? new Reference(url)
                    : new Reference().setIdentifier(identifier("urn:stillpoint:consent", reliance.consentId()
                            + "/" + reliance.version()));
            provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(consent);
        }
        return provenance;
    }

    private Consent consent(ConsentGranted g, Set<ConsentScope> denied, boolean active, int version) {
        String id = g.consentId().toString();
        Consent consent = new Consent();
        consent.setId(id);
        consent.getMeta().setVersionId(String.valueOf(version));
        narrate(consent, "Consent " + id + " version " + version + ", " + (active ? "active" : "inactive")
                + ": permits " + scopes(g.scopes(), denied, false) + (denied.isEmpty() ? ""
                : "; withdrawn " + scopes(g.scopes(), denied, true)));
        consent.addIdentifier(identifier("urn:stillpoint:consent", id));
        consent.setStatus(active ? Consent.ConsentState.ACTIVE : Consent.ConsentState.INACTIVE);
        consent.setScope(concept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"));
        consent.addCategory(concept("http://loinc.org", "59284-0", "Patient Consent"));
        consent.setPatient(new Reference(patientUrl()));
        consent.setDateTimeElement(new DateTimeType(g.grantedAt().toString()));
        consent.addPerformer(g.grantor() != null && g.grantor().kind() == GrantorKind.GUARDIAN
                ? new Reference().setDisplay("guardian of the client"
                        + (blank(g.grantor().relationship()) ? "" : " (" + g.grantor().relationship() + ")"))
                : new Reference(patientUrl()));
        if (organisationId != null) {
            consent.addOrganization(new Reference().setIdentifier(identifier(ORGANISATIONS, organisationId)));
        }
        if (g.form() != null) {
            String form = "urn:stillpoint:consent-form:" + g.form().formId() + ":" + g.form().version();
            consent.setSource(new Attachment().setContentType("text/plain").setUrl(form)
                                              .setTitle("consent form " + g.form().formId() + " version "
                                                                + g.form().version() + " (text SHA-256 "
                                                                + g.form().textSha256() + "), " + g.method()));
            consent.addPolicy().setUri(form);
        }
        Consent.ProvisionComponent provision = consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        Period period = new Period().setStartElement(new DateTimeType(g.grantedAt().toString()));
        if (g.expiresAt() != null) {
            period.setEndElement(new DateTimeType(g.expiresAt().toString()));
        }
        provision.setPeriod(period);
        for (ConsentScope scope : new TreeSet<>(g.scopes())) {
            provision.addProvision()
                     .setType(denied.contains(scope) ? Consent.ConsentProvisionType.DENY : Consent.ConsentProvisionType.PERMIT)
                     .addCode(concept(SCOPES, scope.name(), scope.name().toLowerCase().replace('_', ' ')));
        }
        return consent;
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

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The resource's human-readable narrative, {@code text}: generated from {@code summary}. */
    private static void narrate(DomainResource resource, String summary) {
        String escaped = summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        resource.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escaped + "</div>");
    }

    private static Identifier identifier(String system, String value) {
        return new Identifier().setSystem(system).setValue(value);
    }

    private static Coding coding(String system, String code, String display) {
        return new Coding(system, code, display);
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(coding(system, code, display)).setText(display);
    }
}
