package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.stillpoint.platform.problem.Refusal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's way to find a client by name and date of birth: consent-service's name index, asked with the officer's
 * own token ({@code stillpoint.audit.consent-service}, {@code CONSENT_SERVICE_URI}; {@link Downstream}). The audit keeps
 * no name, in clear or blind.
 */
@Component
class ConsentService {

    private final Downstream consents;

    ConsentService(@Value("${stillpoint.audit.consent-service:}") String base) {
        this.consents = new Downstream(base, "consent-service", "CONSENT_SERVICE_URI");
    }

    /**
     * A consent's boundaries as consent-service shows them to the caller (it decides whether their role reads them, and
     * logs the read): the text, or why there is none to show.
     */
    String boundaries(String clientId, String consentId, String authorization) {
        try {
            JsonNode consent = consents.get("/api/clients/{c}/consents/{k}", authorization, clientId, consentId);
            return consent.hasNonNull("boundaries") ? consent.get("boundaries").asText() : "none recorded";
        } catch (Refusal refused) {
            return "not shown: " + refused.getMessage();
        }
    }

    /** The ids of the clients registered with exactly this name and date of birth whom the caller may read. */
    List<String> byName(String givenName, String familyName, LocalDate dateOfBirth, String authorization) {
        JsonNode found = consents.post("/api/clients/search", consents.json().createObjectNode()
                                               .put("givenName", givenName).put("familyName", familyName)
                                               .put("dateOfBirth", dateOfBirth == null ? null : dateOfBirth.toString()),
                                       authorization);
        List<String> ids = new ArrayList<>();
        found.path("clients").forEach(client -> ids.add(client.path("clientId").asText()));
        return ids;
    }
}
