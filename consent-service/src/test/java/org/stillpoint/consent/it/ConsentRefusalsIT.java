package org.stillpoint.consent.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.stillpoint.testsupport.RefusalCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every refusal of the consent endpoints answers with problem details naming the field, and writes nothing: no event,
 * no key, no read-model document.
 */
class ConsentRefusalsIT extends OnBackends {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> WRITTEN = List.of("events", "snapshots", "client_keys", "client_consents",
                                                        "consent_expiries");

    @Autowired
    MockMvc mvc;

    private String clientId;
    private String consentId;

    @BeforeEach
    void clientWithConsent() throws Exception {
        clientId = created(post("/api/clients").contentType(MediaType.APPLICATION_JSON).content(client("2001-04-05")))
                .get("clientId").asString();
        consentId = created(consents(clientId, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, null)))
                .get("consentId").asString();
    }

    @Test
    void aBodyLargerThanTheServicesOwnCapIsRefusedEvenPastTheGateway() throws Exception {
        refused(register(client("1980-01-01").replace("Alex", "A".repeat(70_000))), 413, "body-too-large", null);
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        refused(post("/api/clients").contentType(MediaType.APPLICATION_JSON).content("{\"givenName\": "),
                400, "malformed-request", null);
    }

    @Test
    void missingAndOversizedPersonalFieldsAreRefused() throws Exception {
        refused(register(client("1980-01-01").replace("\"givenName\":\"Alex\",", "")), 400, "invalid-request", "givenName");
        refused(register(client("1980-01-01").replace("Alex", "A".repeat(201))), 400, "invalid-request", "givenName");
        refused(register(client("1980-01-01").replace("alex@example.org", "not-an-address")), 400, "invalid-request", "email");
    }

    @Test
    void controlCharactersInTextAreRefusedNamingTheField() throws Exception {
        refused(register(client("1980-01-01").replace("Alex", "Al\\u0000ex")), 400, "malformed-request", "givenName");
        refused(register(client("1980-01-01").replace("Alex", "\\u001b[2J\\u001b[31mAlex")), 400, "malformed-request",
                "givenName");
        refused(register(client("1980-01-01").replace("Alex", "Alex\\r")), 400, "malformed-request", "givenName");
        refused(register(client("1980-01-01").replace("Alex", "Alex\\u009b")), 400, "malformed-request", "givenName");
        // text that reads otherwise than it is stored, and half a character
        refused(register(client("1980-01-01").replace("Alex", "Al\\u202Eex")), 400, "malformed-request", "givenName");
        refused(register(client("1980-01-01").replace("Alex", "Al\\u200Bex")), 400, "malformed-request", "givenName");
        refused(register(client("1980-01-01").replace("Alex", "Al\\uD800ex")), 400, "malformed-request", "givenName");
    }

    @Test
    void oneNameIsStoredInOneSpelling() throws Exception {
        String decomposed = created(register(client("1980-01-01").replace("Alex", "Zoe\\u0308"))).get("clientId")
                                                                                                     .asString();
        MvcResult read = mvc.perform(get("/api/clients/" + decomposed)).andReturn();
        assertThat(JSON.readTree(read.getResponse().getContentAsString()).get("givenName").asString())
                .as(read.getResponse().getContentAsString()).isEqualTo("Zo\u00eb");
    }

    @Test
    void malformedCodesAndDatesAreRefused() throws Exception {
        refused(register(client("1980-01-01").replace("harbour-street", "Harbour Street")), 400, "invalid-request", "clinicId");
        refused(register(client("1980-13-01")), 400, "malformed-request", "dateOfBirth");
        refused(register(client(LocalDate.now().plusDays(3).toString())), 400, "invalid-request", "dateOfBirth");
        refused(register(client("0001-01-01")), 400, "invalid-request", "dateOfBirth");
        refused(register(client("1899-12-31")), 400, "invalid-request", "dateOfBirth");
    }

    @Test
    void malformedIdsAreRefused() throws Exception {
        refused(get("/api/clients/not-a-client"), 400, "invalid-parameter", "clientId");
        refused(get("/api/clients/" + clientId + "/consents/12345"), 400, "invalid-parameter", "consentId");
        refused(consents("7B0C5E38-0000-0000-0000-00000000000G", grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, null)),
                400, "invalid-parameter", "clientId");
    }

    @Test
    void unknownClientIsNotFound() throws Exception {
        String unknown = UUID.randomUUID().toString();
        refused(get("/api/clients/" + unknown), 404, "client-not-found", "clientId");
        refused(consents(unknown, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, null)), 404, "client-not-found", "clientId");
        refused(withdraw(unknown, consentId, "{}"), 404, "client-not-found", "clientId");
    }

    @Test
    void unknownConsentIsNotFound() throws Exception {
        String unknown = UUID.randomUUID().toString();
        new RefusalCheck(mvc, database, WRITTEN).refusedRead(get("/api/clients/" + clientId + "/consents/" + unknown),
                                                             404, "consent-not-found", "consentId");
        refused(withdraw(clientId, unknown, "{}"), 404, "consent-not-found", "consentId");
    }

    @Test
    void aBackdatedConsentWithoutItsReasonAndAnExpiryBeyondTheHorizonAreRefused() throws Exception {
        String lastWeek = Instant.now().minus(java.time.Duration.ofDays(7)).toString();
        refused(consents(clientId, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, null)
                .replace("\"expiresAt\":null", "\"expiresAt\":null,\"grantedAt\":\"" + lastWeek + "\"")),
                422, "late-entry-reason-missing", "lateEntryReason");
        refused(consents(clientId, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", Instant.parse("+999999-01-01T00:00:00Z"),
                                         null)), 422, "expiry-beyond-horizon", "expiresAt");
    }

    @Test
    void emptyOrUnknownScopeIsRefused() throws Exception {
        refused(consents(clientId, grant("[]", "WRITTEN", null, null)), 400, "invalid-request", "scopes");
        refused(consents(clientId, grant("[\"MASSAGE\"]", "WRITTEN", null, null)), 400, "malformed-request", "scopes[0]");
    }

    @Test
    void expiryInThePastIsRefused() throws Exception {
        refused(consents(clientId, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", Instant.now().minusSeconds(60), null)),
                422, "expiry-in-past", "expiresAt");
    }

    @Test
    void verbalConsentNeedsAWitness() throws Exception {
        refused(consents(clientId, grant("[\"CRANIOSACRAL_THERAPY\"]", "VERBAL_WITNESSED", null, null)),
                422, "witness-missing", "witness");
    }

    @Test
    void aMinorNeedsAGuardianWithNameAndRelationship() throws Exception {
        String minor = created(register(client(LocalDate.now().minusYears(12).toString()))).get("clientId").asString();
        refused(consents(minor, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, null)),
                422, "guardian-required", "grantor.kind");
        refused(consents(minor, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, "{\"kind\":\"GUARDIAN\",\"name\":\"Jo\"}")),
                422, "guardian-details-missing", "grantor.relationship");
        // the relationship stays in clear after an erasure: a word of the vocabulary, never a name
        refused(consents(minor, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null,
                                      "{\"kind\":\"GUARDIAN\",\"name\":\"Jo\",\"relationship\":\"Jo Ashdown's aunt\"}")),
                400, "invalid-request", "grantor.relationship");
        created(consents(minor, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null,
                                      "{\"kind\":\"GUARDIAN\",\"name\":\"Jo\",\"relationship\":\"mother\"}")));
    }

    @Test
    void aFormIsNamedByIdentifiersNotWords() throws Exception {
        refused(consents(clientId, grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, null)
                .replace("cst-ser-intake", "intake form signed by Robin Ashdown")), 400, "invalid-request", "form.formId");
    }

    @Test
    void oversizedConsentTextIsRefused() throws Exception {
        String boundaries = grant("[\"CRANIOSACRAL_THERAPY\"]", "WRITTEN", null, null)
                .replace("No work near the left shoulder.", "b".repeat(4001));
        refused(consents(clientId, boundaries), 400, "invalid-request", "boundaries");
        refused(withdraw(clientId, consentId, "{\"reason\":\"" + "r".repeat(2001) + "\"}"), 400, "invalid-request", "reason");
    }

    @Test
    void withdrawingAScopeThatIsNotGrantedIsRefused() throws Exception {
        refused(withdraw(clientId, consentId, "{\"scopes\":[\"SOMATOEMOTIONAL_RELEASE\"]}"), 422, "scope-not-granted", "scopes");
    }

    @Test
    void withdrawingAConsentTwiceIsRefused() throws Exception {
        created(withdraw(clientId, consentId, "{}"));
        refused(withdraw(clientId, consentId, "{}"), 409, "consent-not-active", "consentId");
    }

    private JsonNode created(RequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(201);
        return JSON.readTree(result.getResponse().getContentAsString());
    }

    private JsonNode refused(RequestBuilder request, int status, String code, String field) throws Exception {
        return new RefusalCheck(mvc, database, WRITTEN).refused(request, status, code, field);
    }

    private static RequestBuilder register(String json) {
        return post("/api/clients").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private static RequestBuilder consents(String clientId, String json) {
        return post("/api/clients/" + clientId + "/consents").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private static RequestBuilder withdraw(String clientId, String consentId, String json) {
        return post("/api/clients/" + clientId + "/consents/" + consentId + "/withdrawals")
                .contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private static String client(String dateOfBirth) {
        return """
                {"organisationId":"stillwater","clinicId":"harbour-street","givenName":"Alex","familyName":"Marsh",
                 "dateOfBirth":"%s","email":"alex@example.org"}
                """.formatted(dateOfBirth);
    }

    private static String grant(String scopes, String method, Instant expiresAt, String grantor) {
        return """
                {"scopes":%s,"form":%s,"method":"%s","boundaries":"No work near the left shoulder.",
                 "expiresAt":%s,"grantor":%s}
                """.formatted(scopes, Clients.FORM, method, expiresAt == null ? "null" : "\"" + expiresAt + "\"",
                              grantor == null ? "null" : grantor);
    }
}
