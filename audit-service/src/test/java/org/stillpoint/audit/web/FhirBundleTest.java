package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.stillpoint.audit.FhirValidation;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.access.AccessOutcome;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.RecipientKind;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.Urgency;
import org.stillpoint.contracts.session.Modality;
import org.stillpoint.contracts.session.SessionNotes;
import org.stillpoint.contracts.session.SessionRecorded;
import org.stillpoint.platform.axon.EventJson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FHIR export of a full history — registration, a guardian's consent with an expiry withdrawn in two steps, a
 * consent that expired, a session, an emergency referral, an allowed and a denied read — is valid for FHIR's own
 * validator, with the Basic Audit Log Patterns' codes, and each consent's versions as Consent resources.
 */
class FhirBundleTest {

    private static final ObjectMapper JSON = EventJson.newMapper();
    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final ClientId CLIENT = ClientId.random();
    private static final OrganisationId STILLWATER = OrganisationId.of("stillwater");
    private static final ClinicId HARBOUR = ClinicId.of("harbour-street");
    private static final Sealed SEALED = new Sealed("client/" + CLIENT + "/1", "c2VhbGVk");
    private static final Actor PAT = new Actor("pat");

    private final List<AuditEntry> entries = new ArrayList<>();

    @Test
    void aFullHistoryExportsAsAValidR4BundleWithAuditEventsAndConsents() throws Exception {
        ConsentId guardians = ConsentId.random();
        ConsentId expiring = ConsentId.random();
        add(new ClientRegistered(CLIENT, STILLWATER, HARBOUR, SEALED, T0, PAT), "consent", "consent-service", 0);
        add(new ConsentGranted(CLIENT, guardians, HARBOUR, Set.of(ConsentScope.CRANIOSACRAL_THERAPY,
                                                                 ConsentScope.INFORMATION_SHARING,
                                                                 ConsentScope.VERBAL_PROCESSING),
                               new ConsentForm("cst-ser-intake", "2026-09", "ab".repeat(32)), ConsentMethod.WRITTEN,
                               new Grantor(GrantorKind.GUARDIAN, SEALED, "mother"), null, SEALED, T0,
                               T0.plus(Duration.ofDays(365)), T0, PAT, false, null), "consent", "consent-service", 1);
        add(new ConsentGranted(CLIENT, expiring, HARBOUR, Set.of(ConsentScope.SOMATOEMOTIONAL_RELEASE),
                               new ConsentForm("ser", "1", "cd".repeat(32)), ConsentMethod.ELECTRONIC,
                               new Grantor(GrantorKind.CLIENT, null, null), null, null, T0, T0.plus(Duration.ofDays(2)),
                               T0, PAT, false, null), "consent", "consent-service", 2);
        add(new SessionRecorded(CLIENT, SessionId.random(), HARBOUR, PAT, T0.plus(Duration.ofHours(1)), 50,
                                Set.of(Modality.CRANIOSACRAL_THERAPY),
                                new SessionNotes(SEALED, SEALED, null, null, null, null), List.of(
                                        new ConsentReliance(guardians, 1, Set.of(ConsentScope.CRANIOSACRAL_THERAPY))),
                                2, false, T0.plus(Duration.ofHours(2)), PAT, null), "session", "session-service", 3);
        add(new ReferralIssued(CLIENT, ReferralId.random(), STILLWATER, HARBOUR,
                               new Recipient(RecipientKind.MEDICAL, "Dr. Amara Osei", "Harbour Medical Practice", SEALED),
                               Urgency.EMERGENCY, SEALED, null, Set.of(InformationCategory.DEMOGRAPHICS), List.of(),
                               2, true, SEALED, true, T0.plus(Duration.ofHours(3)), PAT), "referral",
            "referral-service", 4);
        add(new ClientAccessed(CLIENT, STILLWATER, HARBOUR, PAT, STILLWATER, Set.of(HARBOUR), Set.of("PRACTITIONER"),
                               AccessAction.READ, "/api/clients/" + CLIENT, AccessOutcome.ALLOWED, null,
                               "consent-service", T0.plus(Duration.ofHours(4))), "access", "consent-service", 5);
        add(new ClientAccessed(CLIENT, STILLWATER, HARBOUR, new Actor("cole"), OrganisationId.of("harmony"), Set.of(),
                               Set.of("COMPLIANCE_OFFICER"), AccessAction.READ, "/api/audit/clients/" + CLIENT,
                               AccessOutcome.DENIED, "other-organisation", "audit-service",
                               T0.plus(Duration.ofHours(5))), "access", "audit-service", 6);
        add(new ConsentWithdrawn(CLIENT, guardians, Set.of(ConsentScope.VERBAL_PROCESSING),
                                 Set.of(ConsentScope.CRANIOSACRAL_THERAPY, ConsentScope.INFORMATION_SHARING), SEALED,
                                 T0.plus(Duration.ofHours(6)), PAT), "consent", "consent-service", 7);
        add(new ConsentExpired(CLIENT, expiring, Set.of(ConsentScope.SOMATOEMOTIONAL_RELEASE),
                               T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(2))), "consent", "consent-service",
            8);
        add(new ConsentWithdrawn(CLIENT, guardians, Set.of(ConsentScope.CRANIOSACRAL_THERAPY,
                                                           ConsentScope.INFORMATION_SHARING), Set.of(), SEALED,
                                 T0.plus(Duration.ofDays(3)), PAT), "consent", "consent-service", 9);

        String fhir = new FhirBundle(JSON, CLIENT.toString(), "stillwater",
                                     Map.of(entries.getFirst().eventId(), "ab".repeat(32)))
                .of(entries, T0.plus(Duration.ofDays(4)));

        assertThat(FhirValidation.errors(fhir)).isEmpty();
        JsonNode bundle = JSON.readTree(fhir);
        assertThat(bundle.get("type").asText()).isEqualTo("collection");
        assertThat(bundle.has("total")).as("bdl-1: no total on a collection").isFalse();
        Set<String> fullUrls = new HashSet<>();
        bundle.get("entry").forEach(e -> assertThat(fullUrls.add(e.get("fullUrl").asText())).isTrue());
        List<JsonNode> events = resources(bundle, "AuditEvent");
        assertThat(events).hasSize(entries.size());
        assertThat(events).extracting(e -> e.at("/type/code").asText())
                          .containsExactly("110110", "110110", "110110", "110110", "110106", "rest", "rest",
                                           "110110", "110110", "110110");
        JsonNode disclosure = events.get(4);
        assertThat(disclosure.at("/agent/1/who/display").asText()).isEqualTo("Dr. Amara Osei, Harbour Medical Practice");
        assertThat(disclosure.at("/agent/1/requestor").asBoolean()).isFalse();
        assertThat(disclosure.at("/purposeOfEvent/0/coding/0/code").asText()).isEqualTo("ETREAT");
        assertThat(events.get(6).get("outcome").asText()).isEqualTo("4");
        assertThat(events.get(5).get("action").asText()).isEqualTo("R");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.at("/entity/0/what/reference").asText()).isEqualTo("urn:uuid:" + CLIENT);
            assertThat(e.at("/source/observer/display").asText()).endsWith("-service");
            assertThat(e.at("/agent/0/requestor").asBoolean()).isTrue();
        });
        assertThat(events.getFirst().at("/entity/1/what/identifier/value").asText()).isEqualTo("ab".repeat(32));

        List<JsonNode> consents = resources(bundle, "Consent");
        // the guardian's consent: granted, partly withdrawn, fully withdrawn; the other: granted, expired
        assertThat(consents).extracting(c -> c.get("id").asText() + " v" + c.at("/meta/versionId").asText() + " "
                                             + c.get("status").asText())
                            .containsExactly(guardians + " v1 active", expiring + " v1 active",
                                             guardians + " v2 active", expiring + " v2 inactive",
                                             guardians + " v3 inactive");
        JsonNode partly = consents.get(2);
        assertThat(partly.at("/provision/provision").findValuesAsText("type")).containsExactly("permit", "deny",
                                                                                              "permit");
        assertThat(partly.at("/provision/period/end").asText()).isEqualTo(T0.plus(Duration.ofDays(365)).toString());
        assertThat(partly.at("/performer/0/display").asText()).contains("guardian").contains("mother");
        assertThat(consents.get(1).at("/performer/0/reference").asText()).isEqualTo("urn:uuid:" + CLIENT);
        assertThat(partly.at("/sourceAttachment/url").asText())
                .isEqualTo("urn:stillpoint:consent-form:cst-ser-intake:2026-09");
        assertThat(FhirValidation.warnings(fhir)).as("every resource has its narrative").noneMatch(w -> w.contains("dom-6"));

        // the session, tied to the Consent version it relied on
        List<JsonNode> provenances = resources(bundle, "Provenance");
        assertThat(provenances).as("the emergency referral relied on no consent").hasSize(1);
        JsonNode session = provenances.getFirst();
        String sessionEvent = events.get(3).get("id").asText();
        assertThat(session.at("/target/0/reference").asText()).isEqualTo("urn:uuid:" + sessionEvent);
        String reliedOn = session.at("/entity/0/what/reference").asText();
        assertThat(session.at("/entity/0/role").asText()).isEqualTo("source");
        bundle.get("entry").forEach(e -> {
            if (e.get("fullUrl").asText().equals(reliedOn)) {
                assertThat(e.at("/resource/id").asText() + " v" + e.at("/resource/meta/versionId").asText())
                        .isEqualTo(guardians + " v1");
            }
        });
        assertThat(fullUrls).contains(reliedOn);
        assertThat(session.at("/text/div").asText()).contains("in force at its moment: yes");
    }

    @Test
    void theValidatorRefusesWhatFhirRefuses() {
        // the check is real: the old export's total on a collection, and an AuditEvent without its required parts
        assertThat(FhirValidation.errors("""
                {"resourceType":"Bundle","type":"collection","total":1,"entry":[{"fullUrl":"urn:uuid:%s",
                 "resource":{"resourceType":"AuditEvent","recorded":"2026-11-01T09:00:00Z"}}]}
                """.formatted(UUID.randomUUID()))).anyMatch(e -> e.contains("bdl-1"))
                                                 .anyMatch(e -> e.contains("AuditEvent.type"));
    }

    private void add(Object event, String kind, String service, int minutes) throws Exception {
        Instant recorded = T0.plus(Duration.ofMinutes(minutes));
        // an access from outside the client's organisation names no clinic of the client's: FHIR has no empty strings
        String clinic = event instanceof ClientAccessed a && a.outcome() == AccessOutcome.DENIED ? "" : "harbour-street";
        entries.add(new AuditEntry(UUID.randomUUID().toString(), CLIENT.toString(), PublishedTypes.typeOf(event.getClass()), kind,
                                   service, recorded, recorded, "pat", clinic, null, List.of(),
                                   event.getClass().getSimpleName(), null, JSON.writeValueAsString(event)));
    }

    private static List<JsonNode> resources(JsonNode bundle, String type) {
        List<JsonNode> out = new ArrayList<>();
        bundle.get("entry").forEach(e -> {
            if (e.at("/resource/resourceType").asText().equals(type)) {
                out.add(e.get("resource"));
            }
        });
        return out;
    }
}
