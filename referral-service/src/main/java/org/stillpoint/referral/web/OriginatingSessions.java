package org.stillpoint.referral.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.platform.problem.Refusal;

import java.time.Duration;

/**
 * Checks that a referral's originating session is a session of the same client, by asking session-service with the
 * caller's own token ({@code stillpoint.referral.session-service}, {@code SESSION_SERVICE_URI}): a session of another
 * client, one the caller may not read, or none at all are one refusal (422 {@code originating-session-unknown}), so the
 * answer tells nothing about other clients' sessions. When session-service cannot answer, the referral waits (503).
 */
@Component
class OriginatingSessions {

    private final RestClient http;
    private final String base;

    OriginatingSessions(@Value("${stillpoint.referral.session-service:}") String base) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(5));
        this.http = RestClient.builder().requestFactory(requests).build();
        this.base = base == null ? "" : base.strip();
    }

    void check(ClientId clientId, SessionId sessionId, String bearerToken) {
        if (base.isEmpty()) {
            throw Refusal.retryLater("session-service-unavailable", "originatingSessionId",
                                     "Originating sessions cannot be checked here: SESSION_SERVICE_URI is not set.");
        }
        HttpStatusCode status;
        try {
            status = http.get().uri(base + "/api/clients/{clientId}/sessions/{sessionId}", clientId, sessionId)
                         .header(HttpHeaders.AUTHORIZATION, "Bearer " + bearerToken)
                         .exchange((request, response) -> response.getStatusCode());
        } catch (RestClientException e) {
            throw Refusal.retryLater("session-service-unavailable", "originatingSessionId",
                                     "Session-service did not answer; try again shortly.");
        }
        if (status.is2xxSuccessful()) {
            return;
        }
        if (status.value() == 404 || status.value() == 403 || status.value() == 400) {
            throw Refusal.unprocessable("originating-session-unknown", "originatingSessionId",
                                        "Session " + sessionId + " is not a session of client " + clientId
                                                + " that you can read.");
        }
        throw Refusal.retryLater("session-service-unavailable", "originatingSessionId",
                                 "Session-service answered " + status.value() + "; try again shortly.");
    }
}
