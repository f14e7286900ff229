package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.stillpoint.platform.problem.Refusal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Another service the console asks on the officer's behalf, always with the officer's own token, so that service
 * decides and logs as it does for any caller. A refusal there is the console's refusal, with the same problem type and
 * field; when the service cannot answer, or is not configured, the console says so (503).
 *
 * @param name    the service's name, in what the console says ({@code referral-service})
 * @param setting the environment variable that points at it ({@code REFERRAL_SERVICE_URI})
 */
final class Downstream {

    private final RestClient http;
    private final String base;
    private final String name;
    private final String setting;
    private final ObjectMapper json = new ObjectMapper();

    Downstream(String base, String name, String setting) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(2));
        requests.setReadTimeout(Duration.ofSeconds(10));
        this.http = RestClient.builder().requestFactory(requests).build();
        this.base = base == null ? "" : base.strip();
        this.name = name;
        this.setting = setting;
    }

    JsonNode get(String path, String authorization, Object... variables) {
        return exchange(http.get().uri(base() + path, variables), authorization);
    }

    JsonNode post(String path, JsonNode body, String authorization, Object... variables) {
        return exchange(http.post().uri(base() + path, variables).contentType(MediaType.APPLICATION_JSON)
                            .body(body.toString()), authorization);
    }

    ObjectMapper json() {
        return json;
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
            throw unavailable(capitalised() + " did not answer; try again shortly.");
        }
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** The service's refusal, as the console's own: its status, problem type and field. */
    private Refusal refusal(int status, JsonNode problem) {
        String type = problem.path("type").asText("");
        String code = type.startsWith("urn:stillpoint:problem:") ? type.substring("urn:stillpoint:problem:".length())
                : name + "-refused";
        String field = problem.hasNonNull("field") ? problem.get("field").asText() : null;
        String detail = problem.path("detail").asText(capitalised() + " answered " + status + ".");
        return switch (status) {
            case 400 -> Refusal.invalid(code, field, detail);
            case 403 -> Refusal.forbidden(code, field, detail);
            case 404 -> Refusal.notFound(code, field, detail);
            case 409 -> Refusal.conflict(code, field, detail);
            case 410 -> Refusal.gone(code, field, detail);
            case 422 -> Refusal.unprocessable(code, field, detail);
            default -> unavailable(capitalised() + " answered " + status + "; try again shortly.");
        };
    }

    private String base() {
        if (base.isEmpty()) {
            throw unavailable("The console cannot reach " + name + " from here: " + setting + " is not set.");
        }
        return base;
    }

    private String capitalised() {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private Refusal unavailable(String detail) {
        return Refusal.retryLater(name + "-unavailable", null, detail);
    }
}
