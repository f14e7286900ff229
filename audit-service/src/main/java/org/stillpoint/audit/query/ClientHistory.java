package org.stillpoint.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a client's audit record says: the accounting of disclosures, the access log, and the state of their consents,
 * sessions and referrals as the suite knew them at a moment (events recorded up to then).
 */
public final class ClientHistory {

    /** How far back the accounting of disclosures reaches (HIPAA 45 CFR 164.528: six years). */
    public static final long LOOK_BACK_YEARS = 6;

    private final AuditClient client;
    private final List<AuditEntry> entries;
    private final ObjectMapper json;

    /** @param entries every entry of the client, in timeline order ({@link AuditQueries#entries}) */
    public ClientHistory(AuditClient client, List<AuditEntry> entries, ObjectMapper json) {
        this.client = client;
        this.entries = List.copyOf(entries);
        this.json = json;
    }

    public AuditClient client() {
        return client;
    }

    /** Every entry, in timeline order. */
    public List<AuditEntry> entries() {
        return entries;
    }

    public List<AuditEntry> timeline(Instant asOf) {
        return entries.stream().filter(e -> asOf == null || !e.recordedAt().isAfter(asOf)).toList();
    }

    public List<AuditEntry> accesses() {
        return entries.stream().filter(e -> e.kind().equals("access")).toList();
    }

    /** Disclosures within the look-back, newest first, each with its current status; and a summary per recipient. */
    public Map<String, Object> disclosures(Instant now) {
        Instant since = now.atZone(ZoneOffset.UTC).minusYears(LOOK_BACK_YEARS).toInstant();
        Map<String, String> status = new LinkedHashMap<>();
        for (AuditEntry e : entries) {
            if (e.type().startsWith("stillpoint.referral.status-changed")) {
                status.put(e.subject(), String.valueOf(payload(e).get("to")));
            }
        }
        List<Map<String, Object>> disclosures = new ArrayList<>();
        Map<String, Map<String, Object>> byRecipient = new LinkedHashMap<>();
        for (AuditEntry e : entries) {
            if (!e.type().startsWith("stillpoint.referral.issued") || e.occurredAt().isBefore(since)) {
                continue;
            }
            Map<String, Object> p = payload(e);
            @SuppressWarnings("unchecked")
            Map<String, Object> recipient = (Map<String, Object>) p.get("recipient");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("eventId", e.eventId());
            d.put("referralId", e.subject());
            d.put("date", e.occurredAt());
            d.put("recipient", Map.of("kind", String.valueOf(recipient.get("kind")), "name", String.valueOf(recipient.get("name")),
                                      "organisation", String.valueOf(recipient.getOrDefault("organisation", ""))));
            d.put("shared", p.get("sharedCategories"));
            d.put("purpose", "referral (" + p.get("urgency") + ")" + (p.get("originatingSession") == null ? ""
                    : " following session " + p.get("originatingSession")));
            d.put("emergency", Boolean.TRUE.equals(p.get("emergencyOverride")));
            d.put("reviewRequired", Boolean.TRUE.equals(p.get("reviewRequired")));
            d.put("status", status.getOrDefault(e.subject(), "ISSUED"));
            d.put("disclosedBy", e.actor());
            d.put("clinicId", e.clinicId());
            disclosures.add(d);
            String key = recipient.get("name") + " / " + recipient.getOrDefault("organisation", "");
            Map<String, Object> summary = byRecipient.computeIfAbsent(key, k -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("recipient", k);
                s.put("count", 0);
                s.put("first", e.occurredAt());
                s.put("last", e.occurredAt());
                s.put("shared", new TreeSet<String>());
                return s;
            });
            summary.put("count", (int) summary.get("count") + 1);
            summary.put("last", e.occurredAt());
            @SuppressWarnings("unchecked")
            TreeSet<String> shared = (TreeSet<String>) summary.get("shared");
            ((List<?>) p.get("sharedCategories")).forEach(c -> shared.add(String.valueOf(c)));
        }
        disclosures.sort(Comparator.comparing((Map<String, Object> d) -> (Instant) d.get("date")).reversed());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("clientId", client.clientId());
        answer.put("since", since.truncatedTo(ChronoUnit.DAYS));
        answer.put("disclosures", disclosures);
        answer.put("byRecipient", byRecipient.values().stream().filter(s -> (int) s.get("count") > 1).toList());
        return answer;
    }

    /** Consents, sessions (with every note version) and referrals as recorded up to {@code asOf}. */
    public Map<String, Object> asOf(Instant asOf) {
        Map<String, Map<String, Object>> consents = new LinkedHashMap<>();
        Map<String, Map<String, Object>> sessions = new LinkedHashMap<>();
        Map<String, Map<String, Object>> referrals = new LinkedHashMap<>();
        for (AuditEntry e : timeline(asOf)) {
            Map<String, Object> p = payload(e);
            String name = e.type().replaceFirst("\\.v\\d+$", "");
            switch (name) {
                case "stillpoint.consent.granted" -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("consentId", e.subject());
                    c.put("clinicId", p.get("clinicId"));
                    c.put("status", "ACTIVE");
                    c.put("version", 1);
                    c.put("grantedScopes", p.get("scopes"));
                    c.put("activeScopes", p.get("scopes"));
                    c.put("grantedAt", p.get("grantedAt"));
                    c.put("expiresAt", p.get("expiresAt"));
                    consents.put(e.subject(), c);
                }
                case "stillpoint.consent.withdrawn" -> consents.computeIfPresent(e.subject(), (id, c) -> {
                    c.put("activeScopes", p.get("remainingScopes"));
                    c.put("version", (int) c.get("version") + 1);
                    c.put("status", ((List<?>) p.get("remainingScopes")).isEmpty() ? "WITHDRAWN" : "ACTIVE");
                    return c;
                });
                case "stillpoint.consent.expired" -> consents.computeIfPresent(e.subject(), (id, c) -> {
                    c.put("status", "EXPIRED");
                    c.put("activeScopes", List.of());
                    return c;
                });
                case "stillpoint.session.recorded" -> {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("sessionId", e.subject());
                    s.put("clinicId", p.get("clinicId"));
                    s.put("practitioner", ((Map<?, ?>) p.get("practitioner")).get("subject"));
                    s.put("startedAt", p.get("startedAt"));
                    s.put("modalities", p.get("modalities"));
                    s.put("consents", e.consents());
                    s.put("status", "DRAFT");
                    List<Map<String, Object>> versions = new ArrayList<>();
                    versions.add(version("recorded", e, p.get("notes")));
                    s.put("noteVersions", versions);
                    sessions.put(e.subject(), s);
                }
                case "stillpoint.session.note-revised" -> note(sessions, e, version("revised", e, p.get("notes")));
                case "stillpoint.session.note-amended" -> note(sessions, e, version("amendment " + p.get("number")
                        + " (" + p.get("section") + ")", e, Map.of("text", p.get("text"), "reason", p.get("reason"))));
                case "stillpoint.session.note-signed" -> sessions.computeIfPresent(e.subject(), (id, s) -> {
                    s.put("status", "SIGNED");
                    s.put("signedAt", p.get("signedAt"));
                    return s;
                });
                case "stillpoint.referral.issued" -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("referralId", e.subject());
                    r.put("recipient", p.get("recipient"));
                    r.put("urgency", p.get("urgency"));
                    r.put("shared", p.get("sharedCategories"));
                    r.put("emergencyOverride", p.get("emergencyOverride"));
                    r.put("status", "ISSUED");
                    r.put("issuedAt", p.get("issuedAt"));
                    referrals.put(e.subject(), r);
                }
                case "stillpoint.referral.status-changed" -> referrals.computeIfPresent(e.subject(), (id, r) -> {
                    r.put("status", p.get("to"));
                    return r;
                });
                default -> {
                    // registrations and accesses change none of the three
                }
            }
        }
        consents.values().forEach(c -> {
            Object expiresAt = c.get("expiresAt");
            if ("ACTIVE".equals(c.get("status")) && expiresAt != null && !Instant.parse(expiresAt.toString()).isAfter(asOf)) {
                c.put("status", "EXPIRED");
                c.put("activeScopes", List.of());
            }
        });
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("clientId", client.clientId());
        state.put("asOf", asOf);
        state.put("consents", List.copyOf(consents.values()));
        state.put("sessions", List.copyOf(sessions.values()));
        state.put("referrals", List.copyOf(referrals.values()));
        return state;
    }

    private static void note(Map<String, Map<String, Object>> sessions, AuditEntry e, Map<String, Object> version) {
        sessions.computeIfPresent(e.subject(), (id, s) -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> versions = (List<Map<String, Object>>) s.get("noteVersions");
            versions.add(version);
            return s;
        });
    }

    /** A note version: when, by whom, and the note as recorded (its fields sealed under the client's key). */
    private static Map<String, Object> version(String kind, AuditEntry e, Object note) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kind", kind);
        v.put("at", e.occurredAt());
        v.put("by", e.actor());
        v.put("note", note);
        return v;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> payload(AuditEntry e) {
        try {
            return json.readValue(e.payload(), LinkedHashMap.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored event " + e.eventId() + " is not JSON", ex);
        }
    }
}
