package org.stillpoint.consent.query;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;

/** A consent that will lapse by itself; kept only while it is active, so the expiry check reads a small collection. */
@Document(ConsentExpiry.COLLECTION)
public record ConsentExpiry(@Id String id, String clientId, String consentId, Instant expiresAt) {

    public static final String COLLECTION = "consent_expiries";

    static String idOf(String clientId, String consentId) {
        return clientId + "/" + consentId;
    }
}
