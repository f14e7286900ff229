package org.stillpoint.consent.copy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two forms of a copy, written from the parts' lines as the services answer them: the FHIR bundle reads back as a
 * Bundle with a resource per item (a consent's every version), the document says it in words, in the organisation's
 * zone, with the client's own text escaped.
 */
class CopyFormsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID REQUEST = UUID.fromString("3b9d6b1e-2f6a-4f3e-9d3c-5b2a1c0e9f87");
    private static final String CLIENT = "261909a9-5c26-43b3-86cb-be21bcb4f9a8";
    private static final Instant AT = Instant.parse("2026-12-07T10:15:30Z");

    private static final String CONSENTS = """
            {"part":"consents","client":{"clientId":"%s","organisationId":"stillwater","clinicId":"harbour-street",\
            "givenName":"Robin","familyName":"Ashdown <b>","dateOfBirth":"1984-03-02","registeredAt":"2026-11-01T09:00:00Z"}}
            {"consentId":"c1","clinicId":"harbour-street","status":"ACTIVE","activeScopes":["CRANIOSACRAL_THERAPY"],\
            "grantedScopes":["CRANIOSACRAL_THERAPY","VERBAL_PROCESSING"],"version":2,\
            "form":{"formId":"intake","version":"3","textSha256":"abc"},"method":"WRITTEN","grantor":{"kind":"CLIENT"},\
            "boundaries":"No work near the jaw","grantedAt":"2026-11-01T09:05:00Z",\
            "history":[{"change":"GRANTED","at":"2026-11-01T09:05:00Z","scopes":["CRANIOSACRAL_THERAPY","VERBAL_PROCESSING"]},\
            {"change":"WITHDRAWN","at":"2026-11-20T09:05:00Z","scopes":["VERBAL_PROCESSING"],"reason":"I prefer not to talk"}]}
            """.formatted(CLIENT);
    private static final String SESSIONS = """
            {"part":"sessions","notes":"shown"}
            {"sessionId":"s1","clinicId":"harbour-street","practitioner":"pat","startedAt":"2026-11-03T14:00:00Z",\
            "durationMinutes":60,"modalities":["SOMATOEMOTIONAL_RELEASE"],"status":"SIGNED",\
            "note":{"clientReported":"Headaches","observations":"Restriction at the occiput"},"drafts":[],\
            "signedAt":"2026-11-03T15:10:00Z","signedBy":"pat",\
            "amendments":[{"number":1,"section":"observations","text":"Also the sacrum","reason":"omitted","at":"2026-11-04T08:00:00Z","by":"pat"}],\
            "lateEntry":true,"lateEntryReason":"power cut","recordedAt":"2026-11-04T07:00:00Z","recordedBy":"pat"}
            """;

    @Test
    void theBundleHoldsAResourcePerItemAndEveryVersionOfAConsent() throws Exception {
        StringWriter out = new StringWriter();
        FhirCopy fhir = new FhirCopy(out, REQUEST, CLIENT, AT);
        feed(fhir, CONSENTS);
        feed(fhir, SESSIONS);
        feed(fhir, "{\"part\":\"referrals\"}\n");
        fhir.finish();

        Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, out.toString());
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
                                     .containsExactly("Patient", "Consent", "Consent", "Procedure");
        assertThat(fhir.count()).isEqualTo(4);
        Procedure session = (Procedure) bundle.getEntry().get(3).getResource();
        assertThat(session.getNote()).extracting(n -> n.getText())
                                     .contains("Observations: Restriction at the occiput",
                                               "Amendment 1 (observations): Also the sacrum — reason: omitted",
                                               "Recorded after the session: power cut");
        assertThat(session.getCode().getText()).isEqualTo("SomatoEmotional Release");
        assertThat(out.toString()).doesNotContain("\"author\":");
    }

    @Test
    void theDocumentSaysItInWordsInTheOrganisationsZone() throws Exception {
        StringWriter out = new StringWriter();
        ReadableCopy document = new ReadableCopy(out, REQUEST.toString(), ZoneId.of("Europe/London"), AT);
        feed(document, CONSENTS);
        feed(document, SESSIONS.replace("\"shown\"", "\"withheld\"").replace("Restriction at the occiput", ""));
        feed(document, "{\"part\":\"referrals\"}\n");
        document.finish();

        assertThat(out.toString())
                .contains("Robin Ashdown &lt;b&gt;", "2 March 1984", "No work near the jaw", "3 November 2026, 14:00:00",
                          "Europe/London", "SomatoEmotional Release", "not part of this copy", "I prefer not to talk",
                          "<h2>Your referrals</h2>\n<p>None.</p>")
                .doesNotContain("<b>", "SOMATOEMOTIONAL_RELEASE", "Headaches");
    }

    private static void feed(CopyForm form, String lines) throws Exception {
        String[] each = lines.strip().split("\n");
        JsonNode header = JSON.readTree(each[0]);
        form.part(header.path("part").asText(), header);
        for (int i = 1; i < each.length; i++) {
            form.item(header.path("part").asText(), JSON.readTree(each[i]));
        }
    }
}
