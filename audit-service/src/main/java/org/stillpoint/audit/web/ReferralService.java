package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's way to a referral under review: it reads the referral (its reason and justification in clear, which
 * the audit never holds) and records the review at referral-service ({@code stillpoint.audit.referral-service},
 * {@code REFERRAL_SERVICE_URI}) with the officer's own token ({@link Downstream}).
 */
@Component
class ReferralService {

    private final Downstream referrals;

    ReferralService(@Value("${stillpoint.audit.referral-service:}") String base) {
        this.referrals = new Downstream(base, "referral-service", "REFERRAL_SERVICE_URI");
    }

    /** The referral as referral-service answers the caller. */
    JsonNode referral(String clientId, String referralId, String authorization) {
        return referrals.get("/api/clients/{c}/referrals/{r}", authorization, clientId, referralId);
    }

    /** Records the caller's review; answers the referral reviewed. */
    JsonNode review(String clientId, String referralId, String outcome, String notes, String authorization) {
        return referrals.post("/api/clients/{c}/referrals/{r}/review",
                              referrals.json().createObjectNode().put("outcome", outcome).put("notes", notes),
                              authorization, clientId, referralId);
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
