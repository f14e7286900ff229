package org.stillpoint.consent.copy;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The record's codes in the words a client reads: modalities, scopes, methods, outcomes and statuses. */
final class Words {

    private static final Map<String, String> SAID = Map.ofEntries(
            Map.entry("CRANIOSACRAL_THERAPY", "craniosacral therapy"),
            Map.entry("SOMATOEMOTIONAL_RELEASE", "SomatoEmotional Release"),
            Map.entry("VERBAL_PROCESSING", "talking things through"),
            Map.entry("CLINIC_SHARING", "letting another clinic of the organisation read your record"),
            Map.entry("INFORMATION_SHARING", "sharing your information with others you are referred to"),
            Map.entry("WRITTEN", "in writing"), Map.entry("ELECTRONIC", "electronically"),
            Map.entry("VERBAL_WITNESSED", "spoken, with a witness"),
            Map.entry("ALLOWED", "allowed"), Map.entry("DENIED", "refused"),
            Map.entry("GONE", "nothing shown (the record was erased)"),
            Map.entry("GRANTED", "given"), Map.entry("WITHDRAWN", "withdrawn"), Map.entry("EXPIRED", "expired"),
            Map.entry("ISSUED", "sent"), Map.entry("ACKNOWLEDGED", "acknowledged by the recipient"),
            Map.entry("COMPLETED", "completed"), Map.entry("DECLINED", "declined by the recipient"),
            Map.entry("CANCELLED", "cancelled"), Map.entry("ROUTINE", "routine"), Map.entry("URGENT", "urgent"),
            Map.entry("EMERGENCY", "an emergency"), Map.entry("APPROPRIATE", "appropriate"),
            Map.entry("NOT_APPROPRIATE", "not appropriate"), Map.entry("DEMOGRAPHICS", "your details"),
            Map.entry("CONSENT_RECORD", "your consents"), Map.entry("SESSION_SUMMARIES", "summaries of your sessions"),
            Map.entry("SESSION_NOTES", "your session notes"), Map.entry("REFERRAL_REASON", "the reason for the referral"),
            Map.entry("CLIENT", "you"), Map.entry("GUARDIAN", "your guardian"), Map.entry("PRACTITIONER", "practitioner"),
            Map.entry("CLINIC_ADMIN", "clinic administrator"), Map.entry("COMPLIANCE_OFFICER", "compliance officer"),
            Map.entry("INTEGRATOR", "connected system"), Map.entry("OPERATOR", "operator"),
            Map.entry("SIGNED", "signed"), Map.entry("DRAFT", "not signed yet"));

    private Words() {
    }

    /** A code in words; one not known here in lower case, its underscores as spaces. */
    static String of(String code) {
        if (code == null || code.isBlank()) {
            return "";
        }
        return SAID.getOrDefault(code, code.replace('_', ' ').toLowerCase(Locale.ROOT));
    }

    /** Codes in words, as a list a person says: "a, b and c"; "nothing" for none. */
    static String list(List<String> codes) {
        List<String> words = codes.stream().map(Words::of).toList();
        if (words.isEmpty()) {
            return "nothing";
        }
        if (words.size() == 1) {
            return words.getFirst();
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.getLast();
    }
}
