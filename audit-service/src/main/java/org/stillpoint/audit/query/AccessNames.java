package org.stillpoint.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client's consents, sessions and referrals are called in their access log: "the session of 3 December 2026",
 * "the referral to Dr. Amara Osei of 4 December 2026", from the entries that created them.
 */
public final class AccessNames {


    private AccessNames() {
    }

    /** The names of the parts of the record {@code entries} created, by id. */
    public static Map<String, String> of(List<AuditEntry> entries, ZoneId zone, ObjectMapper json) {
        return of(entries.iterator(), zone, json);
    }

    /** The same, from entries read one at a time: only the names are kept. */
    public static Map<String, String> of(Iterator<AuditEntry> entries, ZoneId zone, ObjectMapper json) {
        Map<String, String> names = new LinkedHashMap<>();
        while (entries.hasNext()) {
            AuditEntry e = entries.next();
            if (e.subject() == null) {
                continue;
            }
            String day = Plain.day(e.occurredAt(), zone);
            switch (e.type()) {
                case "stillpoint.session.recorded.v1" -> names.put(e.subject(), "the session of " + day);
                case "stillpoint.consent.granted.v1" -> names.put(e.subject(), "the consent given on " + day);
                case "stillpoint.referral.issued.v1", "stillpoint.referral.issued.v2" -> names.put(
                        e.subject(), "the referral to " + recipient(e.payload(), json) + " of " + day);
                default -> {
                    // nothing else is named in a request
                }
            }
        }
        return names;
    }

    private static String recipient(String payload, ObjectMapper json) {
        try {
            return json.readTree(payload).path("recipient").path("name").asText("its recipient");
        } catch (JsonProcessingException e) {
            return "its recipient";
        }
    }
}
