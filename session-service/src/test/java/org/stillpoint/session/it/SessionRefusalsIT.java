package org.stillpoint.session.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Every refusal of the session endpoints answers with problem details naming the field, and writes nothing: no event,
 * no key, no read-model document. Consent comes from consent-service, through the consent topic.
 */
class SessionRefusalsIT extends OnBackends {

    private static final List<String> WRITTEN = List.of("events", "snapshots", "client_keys", "client_sessions");

    @Autowired
    MockMvc mvc;

    private String clientId;
    private long sequence;
    private String consentId;

    @BeforeEach
    void clientWithConsentForCraniosacralTherapyOnly() {
        clientId = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        String[] granted = ConsentApi.beside(ConsentServiceApplication.class).grant(clientId, "[\"CRANIOSACRAL_THERAPY\"]",
                                                      Instant.now().minus(Duration.ofDays(10)).toString());
        consentId = granted[0];
        sequence = Long.parseLong(granted[1]);
    }

    @Test
    void noConsentAtAllIsRefused() throws Exception {
        String other = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        refused(session(other, body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\"]", 60, "0")), 409, "consent-missing",
                "modalities");
    }

    @Test
    void consentForCraniosacralTherapyDoesNotCoverSomatoEmotionalRelease() throws Exception {
        JsonNode problem = refused(session(clientId, body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\",\"SOMATOEMOTIONAL_RELEASE\"]",
                                                          60, Long.toString(sequence))),
                                   409, "consent-missing", "modalities");
        assertThat(problem.get("missingScopes").values()).extracting(JsonNode::asString)
                                                         .containsExactly("SOMATOEMOTIONAL_RELEASE");
    }

    @Test
    void sessionAfterTheWithdrawalIsRefused() throws Exception {
        long after = ConsentApi.beside(ConsentServiceApplication.class).withdraw(clientId, consentId, "[\"CRANIOSACRAL_THERAPY\"]");
        refused(session(clientId, body(Instant.now().toString(), "[\"CRANIOSACRAL_THERAPY\"]", 60, Long.toString(after))),
                409, "consent-missing", "modalities");
    }

    @Test
    void sessionAfterExpiryIsRefused() throws Exception {
        String expiring = ConsentApi.beside(ConsentServiceApplication.class).register("harbour-street");
        Http.Response granted = ConsentApi.beside(ConsentServiceApplication.class).http().post("/api/clients/" + expiring + "/consents", """
                {"scopes":["CRANIOSACRAL_THERAPY"],"method":"WRITTEN","grantedAt":"%s","lateEntryReason":"entered from the signed paper form","expiresAt":"%s",
                 "form":{"formId":"cst","version":"1","textSha256":"%s"}}
                """.formatted(Instant.now().minus(Duration.ofDays(3)), Instant.now().plusSeconds(1), "ab".repeat(32)));
        assertThat(granted.status()).isEqualTo(201);
        Instant afterExpiry = Instant.now().plusSeconds(2);
        refused(session(expiring, body(afterExpiry.toString(), "[\"CRANIOSACRAL_THERAPY\"]", 60,
                                       granted.body().get("sequence").asString())),
                409, "consent-missing", "modalities");
    }

    @Test
    void unknownClientIsNotFound() throws Exception {
        refused(session(UUID.randomUUID().toString(), body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\"]", 60, "null")),
                404, "client-not-found", "clientId");
    }

    @Test
    void emptyModalityListIsRefused() throws Exception {
        refused(session(clientId, body(hoursAgo(1), "[]", 60, Long.toString(sequence))), 422, "no-modality", "modalities");
    }

    @Test
    void unknownModalityIsRefused() throws Exception {
        refused(session(clientId, body(hoursAgo(1), "[\"MASSAGE\"]", 60, null)), 400, "malformed-request", "modalities[0]");
    }

    @Test
    void durationOutOfRangeIsRefused() throws Exception {
        refused(session(clientId, body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\"]", 0, Long.toString(sequence))), 422,
                "duration-out-of-range", "durationMinutes");
        refused(session(clientId, body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\"]", 600, Long.toString(sequence))), 422,
                "duration-out-of-range", "durationMinutes");
    }

    @Test
    void startTimeInTheFutureIsRefused() throws Exception {
        refused(session(clientId, body(Instant.now().plus(Duration.ofHours(2)).toString(), "[\"CRANIOSACRAL_THERAPY\"]",
                                       60, Long.toString(sequence))),
                422, "start-in-future", "startedAt");
    }

    @Test
    void aLateEntryWithoutItsReasonAndAStartBeyondTheHorizonAreRefused() throws Exception {
        refused(session(clientId, body(Instant.now().minus(Duration.ofDays(2)).toString(), "[\"CRANIOSACRAL_THERAPY\"]",
                                       60, Long.toString(sequence)).replace("entered from the paper notes", " ")),
                422, "late-entry-reason-missing", "lateEntryReason");
        refused(session(clientId, body(Instant.now().minus(Duration.ofDays(4000)).toString(),
                                       "[\"CRANIOSACRAL_THERAPY\"]", 60, Long.toString(sequence))),
                422, "beyond-horizon", "startedAt");
    }

    @Test
    void oversizedFreeTextIsRefused() throws Exception {
        String body = body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\"]", 60, null)
                .replace("Restriction at the occiput", "o".repeat(8001));
        refused(session(clientId, body), 400, "invalid-request", "notes.observations");
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        refused(session(clientId, "{\"clinicId\":\"harbour-street\",\"startedAt\":"), 400, "malformed-request", null);
        refused(session(clientId, body("yesterday", "[\"CRANIOSACRAL_THERAPY\"]", 60, null)), 400, "malformed-request",
                "startedAt");
    }

    @Test
    void malformedIdsAreRefused() throws Exception {
        refused(session("not-a-client", body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\"]", 60, null)), 400,
                "invalid-parameter", "clientId");
        refused(post("/api/clients/" + clientId + "/sessions/12/signature"), 400, "invalid-parameter", "sessionId");
    }

    @Test
    void unknownSessionIsNotFound() throws Exception {
        refused(post("/api/clients/" + clientId + "/sessions/" + UUID.randomUUID() + "/signature"), 404,
                "session-not-found", "sessionId");
    }

    @Test
    void amendingAnUnsignedNoteIsRefused() throws Exception {
        String session = recorded();
        refused(amend(session, "{\"text\":\"more\",\"reason\":\"forgot\"}"), 409, "note-not-signed", "sessionId");
    }

    @Test
    void aSecondSignatureIsRefused() throws Exception {
        String session = recorded();
        assertThat(mvc.perform(post(session + "/signature")).andReturn().getResponse().getStatus()).isEqualTo(201);
        refused(post(session + "/signature"), 409, "note-already-signed", "sessionId");
    }

    @Test
    void editingASignedNoteIsRefused() throws Exception {
        String session = recorded();
        assertThat(mvc.perform(post(session + "/signature")).andReturn().getResponse().getStatus()).isEqualTo(201);
        refused(put(session + "/note").contentType(MediaType.APPLICATION_JSON).content("{\"observations\":\"x\"}"),
                409, "note-signed", "notes");
    }

    @Test
    void amendmentWithoutReasonOrOfUnknownSectionIsRefused() throws Exception {
        String session = recorded();
        assertThat(mvc.perform(post(session + "/signature")).andReturn().getResponse().getStatus()).isEqualTo(201);
        refused(amend(session, "{\"text\":\"more\"}"), 400, "invalid-request", "reason");
        refused(amend(session, "{\"section\":\"diagnosis\",\"text\":\"more\",\"reason\":\"r\"}"), 400,
                "invalid-request", "section");
    }

    private String recorded() throws Exception {
        MvcResult result = mvc.perform(session(clientId, body(hoursAgo(1), "[\"CRANIOSACRAL_THERAPY\"]", 60,
                                                              Long.toString(sequence)))).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(201);
        return result.getResponse().getHeader("Location").replaceFirst("^https?://[^/]+", "");
    }

    private static String hoursAgo(int hours) {
        return Instant.now().minus(Duration.ofHours(hours)).toString();
    }

    private JsonNode refused(RequestBuilder request, int status, String code, String field) throws Exception {
        return new RefusalCheck(mvc, database, WRITTEN).refused(request, status, code, field);
    }

    private static RequestBuilder session(String clientId, String json) {
        return post("/api/clients/" + clientId + "/sessions").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private RequestBuilder amend(String session, String json) {
        return post(session + "/amendments").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private static String body(String startedAt, String modalities, int duration, String consentSequence) {
        return """
                {"clinicId":"harbour-street","startedAt":"%s","lateEntryReason":"entered from the paper notes","durationMinutes":%d,
                 "modalities":%s,"notes":{"observations":"Restriction at the occiput"},"consentSequence":%s}
                """.formatted(startedAt, duration, modalities, consentSequence);
    }
}
