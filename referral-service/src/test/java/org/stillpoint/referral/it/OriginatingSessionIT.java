package org.stillpoint.referral.it;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A referral's originating session must be a session of the same client, checked with session-service running beside
 * this one: another client's session and an unknown one are refused alike, and the referral keeps the session it came
 * out of.
 */
class OriginatingSessionIT extends OnBackends {

    @DynamicPropertySource
    static void sessions(DynamicPropertyRegistry registry) {
        registry.add("stillpoint.referral.session-service",
                     () -> "http://127.0.0.1:" + ServiceBeside.of(SessionServiceApplication.class).port());
    }

    @Test
    void onlyASessionOfTheSameClientCanBeTheOrigin() {
        Http referrals = new Http(port).withToken(TestIssuer.shared().practitioner());
        ConsentApi consent = ConsentApi.beside(ConsentServiceApplication.class);
        String client = consent.register("harbour-street");
        String[] granted = consent.grant(client, "[\"CRANIOSACRAL_THERAPY\",\"INFORMATION_SHARING\"]",
                                                 Duration.ofDays(2));
        String other = consent.register("harbour-street");
        String[] otherGranted = consent.grant(other, "[\"CRANIOSACRAL_THERAPY\",\"INFORMATION_SHARING\"]",
                                                     Duration.ofDays(2));
        Http.Response session = ServiceBeside.of(SessionServiceApplication.class)
                .withToken(TestIssuer.shared().practitioner()).post("/api/clients/" + client + "/sessions", """
                        {"clinicId":"harbour-street","startedAt":"%s","durationMinutes":50,
                         "modalities":["CRANIOSACRAL_THERAPY"],"consentSequence":%s}
                        """.formatted(Instant.now().minus(Duration.ofHours(1)), granted[1]));
        assertThat(session.status()).as(session.raw().body()).isEqualTo(201);
        String sessionId = session.body().get("sessionId").asString();

        Http.Response issued = referrals.post("/api/clients/" + client + "/referrals", body(sessionId, granted[1]));
        assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
        assertThat(referrals.get("/api/clients/" + client + "/referrals/" + issued.body().get("referralId").asString())
                            .body().get("originatingSessionId").asString()).isEqualTo(sessionId);

        for (String[] attempt : new String[][]{{other, sessionId, otherGranted[1]},
                {client, java.util.UUID.randomUUID().toString(), granted[1]}}) {
            Http.Response refused = referrals.post("/api/clients/" + attempt[0] + "/referrals",
                                                   body(attempt[1], attempt[2]));
            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(422);
            assertThat(refused.body().get("type").asString())
                    .isEqualTo("urn:stillpoint:problem:originating-session-unknown");
            assertThat(refused.raw().body()).contains("originatingSessionId");
        }
    }

    private static String body(String sessionId, String sequence) {
        return """
                {"clinicId":"harbour-street","urgency":"ROUTINE","reason":"Persistent headaches: medical review",
                 "recipient":{"kind":"MEDICAL","name":"Dr. Amara Osei","contact":{"email":"a.osei@example.org"}},
                 "sharedCategories":["SESSION_SUMMARIES"],"originatingSessionId":"%s","consentSequence":%s}
                """.formatted(sessionId, sequence);
    }
}
