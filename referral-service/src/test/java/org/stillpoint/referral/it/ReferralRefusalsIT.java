package org.stillpoint.referral.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.TestIssuer;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every refusal of the referral endpoints answers with problem details naming the field, and writes nothing: no event,
 * no key, no read-model document.
 */
class ReferralRefusalsIT extends OnBackends {

    private static final List<String> WRITTEN = List.of("events", "snapshots", "client_keys", "client_referrals");
    private static final String CONTACT = "{\"email\":\"a.osei@example.org\"}";

    @Autowired
    MockMvc mvc;

    private final ConsentApi consent = ConsentApi.beside(ConsentServiceApplication.class);
    private String clientId;
    private String sequence;

    @BeforeEach
    void clientWithoutSharingConsent() {
        clientId = consent.register("harbour-street");
        sequence = consent.grant(clientId, "[\"CRANIOSACRAL_THERAPY\"]", Duration.ofDays(2))[1];
    }

    @Test
    void noSharingConsentIsRefused() throws Exception {
        refused(issue(clientId, body("URGENT", "[\"DEMOGRAPHICS\"]", CONTACT, null, "r", sequence)), 409,
                "consent-missing", "sharedCategories");
    }

    @Test
    void emergencyWithoutJustificationIsRefused() throws Exception {
        refused(issue(clientId, body("EMERGENCY", "[\"DEMOGRAPHICS\"]", CONTACT, null, "r", sequence)), 422,
                "justification-missing", "emergencyJustification");
    }

    @Test
    void emptySharedCategoriesAreRefused() throws Exception {
        refused(issue(clientId, body("ROUTINE", "[]", CONTACT, null, "r", sequence)), 422, "nothing-shared",
                "sharedCategories");
    }

    @Test
    void unknownClientIsNotFound() throws Exception {
        refused(issue(UUID.randomUUID().toString(), body("ROUTINE", "[\"DEMOGRAPHICS\"]", CONTACT, null, "r", null)),
                404, "client-not-found", "clientId");
        refused(get("/api/clients/" + UUID.randomUUID() + "/referrals"), 404, "client-not-found", "clientId");
    }

    @Test
    void malformedContactDetailsAreRefused() throws Exception {
        refused(issue(clientId, body("ROUTINE", "[\"DEMOGRAPHICS\"]", "{\"email\":\"not-an-address\"}", null, "r", sequence)),
                400, "invalid-request", "recipient.contact.email");
        refused(issue(clientId, body("ROUTINE", "[\"DEMOGRAPHICS\"]", "{\"phone\":\"call me\"}", null, "r", sequence)),
                400, "invalid-request", "recipient.contact.phone");
        refused(issue(clientId, body("ROUTINE", "[\"DEMOGRAPHICS\"]", "{}", null, "r", sequence)),
                400, "invalid-request", "recipient.contact.reachable");
    }

    @Test
    void oversizedTextIsRefused() throws Exception {
        refused(issue(clientId, body("ROUTINE", "[\"DEMOGRAPHICS\"]", CONTACT, null, "r".repeat(4001), sequence)),
                400, "invalid-request", "reason");
        refused(issue(clientId, body("EMERGENCY", "[\"DEMOGRAPHICS\"]", CONTACT, "j".repeat(4001), "r", sequence)),
                400, "invalid-request", "emergencyJustification");
    }

    @Test
    void malformedJsonAndUnknownValuesAreRefused() throws Exception {
        refused(issue(clientId, "{\"urgency\":"), 400, "malformed-request", null);
        refused(issue(clientId, body("SOON", "[\"DEMOGRAPHICS\"]", CONTACT, null, "r", sequence)), 400,
                "malformed-request", "urgency");
        refused(issue(clientId, body("ROUTINE", "[\"EVERYTHING\"]", CONTACT, null, "r", sequence)), 400,
                "malformed-request", "sharedCategories[0]");
    }

    @Test
    void illegalTransitionsAreRefused() throws Exception {
        String sharing = consent.register("harbour-street");
        String granted = consent.grant(sharing, "[\"INFORMATION_SHARING\"]", Duration.ofDays(1))[1];
        MvcResult issued = mvc.perform(issue(sharing, body("ROUTINE", "[\"DEMOGRAPHICS\"]", CONTACT, null, "r", granted)))
                              .andReturn();
        assertThat(issued.getResponse().getStatus()).as(issued.getResponse().getContentAsString()).isEqualTo(201);
        String referral = issued.getResponse().getHeader("Location").replaceFirst("^https?://[^/]+", "");

        JsonNode problem = refused(status(referral, "COMPLETED"), 409, "illegal-transition", "status");
        assertThat(problem.get("currentStatus").asString()).isEqualTo("ISSUED");
        assertThat(mvc.perform(status(referral, "CANCELLED")).andReturn().getResponse().getStatus()).isEqualTo(201);
        refused(status(referral, "COMPLETED"), 409, "illegal-transition", "status");
        refused(status(referral, "ACKNOWLEDGED"), 409, "illegal-transition", "status");
        refused(status(referral, "NOT-A-STATUS"), 400, "malformed-request", "status");
        refused(status("/api/clients/" + sharing + "/referrals/" + UUID.randomUUID(), "ACKNOWLEDGED"), 404,
                "referral-not-found", "referralId");
    }

    /**
     * Only a compliance officer of the client's organisation reviews, only an emergency referral issued without
     * consent, only once, with an outcome; a refused review writes nothing but the access log's denial.
     */
    @Test
    void reviewsAreRefusedUnlessAnOfficerReviewsAFlaggedReferralOnce() throws Exception {
        String officer = "Bearer " + TestIssuer.shared().complianceOfficer();
        MvcResult issued = mvc.perform(issue(clientId, body("EMERGENCY", "[\"DEMOGRAPHICS\"]", CONTACT, "collapsed", "r",
                                                            sequence))).andReturn();
        assertThat(issued.getResponse().getStatus()).as(issued.getResponse().getContentAsString()).isEqualTo(201);
        String flagged = issued.getResponse().getHeader("Location").replaceFirst("^https?://[^/]+", "");

        // the practitioner who issued it, and an officer of another organisation
        new RefusalCheck(mvc, database, WRITTEN).refusedRead(review(flagged, "APPROPRIATE", null, null), 403,
                                                            "role-not-allowed", null);
        String stranger = "Bearer " + TestIssuer.shared().token("cole-elsewhere", "harmony-health", List.of(),
                                                                List.of("COMPLIANCE_OFFICER"));
        new RefusalCheck(mvc, database, WRITTEN).refusedRead(review(flagged, "APPROPRIATE", null, stranger), 404,
                                                            "client-not-found", "clientId");
        refused(review(flagged, null, null, officer), 400, "invalid-request", "outcome");
        refused(review(flagged, "MAYBE", null, officer), 400, "malformed-request", "outcome");
        refused(review(flagged, "APPROPRIATE", "n".repeat(4001), officer), 400, "invalid-request", "notes");
        refused(review("/api/clients/" + clientId + "/referrals/" + UUID.randomUUID(), "APPROPRIATE", null, officer),
                404, "referral-not-found", "referralId");

        MvcResult reviewed = mvc.perform(review(flagged, "NOT_APPROPRIATE", "consent could have been asked", officer))
                                .andReturn();
        assertThat(reviewed.getResponse().getStatus()).as(reviewed.getResponse().getContentAsString()).isEqualTo(201);
        assertThat(reviewed.getResponse().getContentAsString()).contains("\"outcome\":\"NOT_APPROPRIATE\"")
                                                               .contains("consent could have been asked");
        refused(review(flagged, "APPROPRIATE", null, officer), 409, "already-reviewed", "referralId");

        String sharing = consent.register("harbour-street");
        String granted = consent.grant(sharing, "[\"INFORMATION_SHARING\"]", Duration.ofDays(1))[1];
        MvcResult ordinary = mvc.perform(issue(sharing, body("EMERGENCY", "[\"DEMOGRAPHICS\"]", CONTACT, null, "r",
                                                             granted))).andReturn();
        assertThat(ordinary.getResponse().getStatus()).isEqualTo(201);
        refused(review(ordinary.getResponse().getHeader("Location").replaceFirst("^https?://[^/]+", ""), "APPROPRIATE",
                       null, officer), 409, "review-not-required", "referralId");
    }

    private static RequestBuilder review(String referral, String outcome, String notes, String authorization) {
        var request = post(referral + "/review").contentType(MediaType.APPLICATION_JSON)
                .content("{\"outcome\":%s,\"notes\":%s}".formatted(outcome == null ? "null" : "\"" + outcome + "\"",
                                                                    notes == null ? "null" : "\"" + notes + "\""));
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private JsonNode refused(RequestBuilder request, int status, String code, String field) throws Exception {
        return new RefusalCheck(mvc, database, WRITTEN).refused(request, status, code, field);
    }

    private static RequestBuilder issue(String clientId, String json) {
        return post("/api/clients/" + clientId + "/referrals").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private static RequestBuilder status(String referral, String status) {
        return post(referral + "/status").contentType(MediaType.APPLICATION_JSON)
                                         .content("{\"status\":\"" + status + "\"}");
    }

    private static String body(String urgency, String shared, String contact, String justification, String reason,
                               String sequence) {
        return """
                {"clinicId":"harbour-street","urgency":"%s","reason":"%s",
                 "recipient":{"kind":"MEDICAL","name":"Dr. Amara Osei","contact":%s},
                 "sharedCategories":%s,"emergencyJustification":%s,"consentSequence":%s}
                """.formatted(urgency, reason, contact, shared,
                              justification == null ? "null" : "\"" + justification + "\"", sequence);
    }
}
