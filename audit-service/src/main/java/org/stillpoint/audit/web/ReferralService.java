package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.stillpoint.platform.problem.Refusal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's way to a referral under review: it reads the referral (its reason and justification in clear, which
 * the audit never holds) and records the review at referral-service ({@code stillpoint.audit.referral-service},
 * {@code REFERRAL_SERVICE_URI}), always with the officer's own token, so referral-service decides and logs as it does
 * for any caller. A refusal there is the console's refusal, with the same problem type and field; when referral-service
 * cannot answer, the console says so (503).
 */
@Component
class ReferralService {

    private final RestClient http;
    private final String base;
    private final ObjectMapper json = new ObjectMapper();

    ReferralService(@Value("${stillpoint.audit.referral-service:}") String base) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(10));
        this.http = RestClient.builder().requestFactory(requests).build();
        this.base = base == null ? "" : base.strip();
    }

    /** The referral as referral-service answers the caller. */
    JsonNode referral(String clientId, String referralId, String authorization) {
        return exchange(http.get().uri(base() + "/api/clients/{c}/referrals/{r}", clientId, referralId), authorization);
    }

    /** Records the caller's review; answers the referral reviewed. */
    JsonNode review(String clientId, String referralId, String outcome, String notes, String authorization) {
        return exchange(http.post().uri(base() + "/api/clients/{c}/referrals/{r}/review", clientId, referralId)
                            .contentType(MediaType.APPLICATION_JSON)
                            .body(json.createObjectNode().put("outcome", outcome).put("notes", notes).toString()),
                        authorization);
    }

    private JsonNode exchange(RestClient.RequestHeadersSpec<?> request, String authorization) {
        try {
            return request.header(HttpHeaders.AUTHORIZATION, authorization).exchange((req, response) -> {
                byte[] body = response.getBody().readAllBytes();
                JsonNode answer = body.length == 0 ? json.createObjectNode() : read(body);
                if (response.getStatusCode().is2xxSuccessful()) {
                    return answer;
                }
                throw refusal(response.getStatusCode().value(), answer);
            });
        } catch (RestClientException e) {
            throw unavailable("Referral-service did not answer; try again shortly.");
        }
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** Referral-service's refusal, as the console's own: its status, problem type and field. */
    private static Refusal refusal(int status, JsonNode problem) {
        String type = problem.path("type").asText("");
        String code = type.startsWith("urn:stillpoint:problem:") ? type.substring("urn:stillpoint:problem:".length())
                : "referral-service-refused";
        String field = problem.hasNonNull("field") ? problem.get("field").asText() : null;
        String detail = problem.path("detail").asText("Referral-service answered " + status + ".");
        Refusal refusal = switch (status) {
            case 400 -> Refusal.invalid(code, field, detail);
            case 403 -> Refusal.forbidden(code, field, detail);
            case 404 -> Refusal.notFound(code, field, detail);
            case 409 -> Refusal.conflict(code, field, detail);
            case 410 -> Refusal.gone(code, field, detail);
            case 422 -> Refusal.unprocessable(code, field, detail);
            default -> unavailable("Referral-service answered " + status + "; try again shortly.");
        };
        return refusal;
    }

    private String base() {
        if (base.isEmpty()) {
            throw unavailable("Referrals cannot be reviewed from here: REFERRAL_SERVICE_URI is not set.");
        }
        return base;
    }

    private static Refusal unavailable(String detail) {
        return Refusal.retryLater("referral-service-unavailable", null, detail);
    }

    /** The outcomes a review records, and how the console says them, in the order it offers them. */
    static Map<String, String> outcomes() {
        Map<String, String> outcomes = new LinkedHashMap<>();
        outcomes.put("APPROPRIATE", Words.outcome("APPROPRIATE"));
        outcomes.put("NOT_APPROPRIATE", Words.outcome("NOT_APPROPRIATE"));
        return outcomes;
    }

    /** What the review page shows of the referral, in words. */
    record Details(String urgency, String shared, String reason, String justification) {

        static Details of(JsonNode referral) {
            List<String> shared = new ArrayList<>();
            referral.path("sharedCategories").forEach(c -> shared.add(Words.code(c.asText())));
            return new Details(Words.code(referral.path("urgency").asText("")), String.join(", ", shared),
                               referral.path("reason").asText(""), referral.path("emergencyJustification").asText(""));
        }
    }
}
