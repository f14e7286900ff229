package org.stillpoint.audit.query;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * An access in the words a compliance officer uses: what was looked at ("the client's consents", "the session of
 * 3 December 2026", "the client's state as of 2026-12-03 14:05:00 UTC") and why a refusal was refused, from the request
 * the service logged ({@code GET /api/clients/<id>/consents}). No HTTP, no ids where a name is known.
 */
public final class AccessWords {

    private final ZoneId zone;
    private final Map<String, String> names;

    /**
     * @param zone  the zone a moment named in the request is said in
     * @param names what to call a consent, session or referral by its id ("the session of 3 December 2026"); an id
     *              without a name is called by its first eight characters
     */
    public AccessWords(ZoneId zone, Map<String, String> names) {
        this.zone = zone;
        this.names = Map.copyOf(names);
    }

    /** The whole sentence: "looked at the client's consents", "tried to sign the session of … — refused: …". */
    public String sentence(String action, String resource, String outcome, String reason) {
        String what = what(resource);
        return switch (outcome == null ? "ALLOWED" : outcome) {
            case "DENIED" -> ("WRITE".equals(action) ? "tried to change " : "tried to look at ") + what
                    + " — refused: " + reason(reason);
            case "GONE" -> "asked for " + what + " — the client had been erased: nothing was shown";
            default -> ("WRITE".equals(action) ? "changed " : "looked at ") + what;
        };
    }

    /**
     * The sentence of an access by a caller of another organisation than the client's, saying which: their clinics
     * are that organisation's and mean nothing here.
     */
    public static String fromElsewhere(String sentence, String actorOrganisation, String organisation) {
        if (actorOrganisation == null || actorOrganisation.equals(organisation)) {
            return sentence;
        }
        String named = "they belong to another organisation";
        return sentence.contains(named) ? sentence.replace(named, named + " (" + actorOrganisation + ")")
                : sentence + " (by a member of another organisation, " + actorOrganisation + ")";
    }

    /** Why an access was refused, in words. */
    public static String reason(String reason) {
        return reason == null ? "no reason given" : switch (reason) {
            case "other-clinic" -> "the client is registered at a clinic they do not work at";
            case "other-organisation" -> "they belong to another organisation";
            case "role" -> "their role does not allow it";
            default -> reason.replace('-', ' ');
        };
    }

    /** What the request asked for. */
    public String what(String resource) {
        if (resource == null || resource.isBlank()) {
            return "the client's record";
        }
        String[] methodAndTarget = resource.split(" ", 2);
        String method = methodAndTarget.length == 2 ? methodAndTarget[0] : "GET";
        String target = methodAndTarget.length == 2 ? methodAndTarget[1] : methodAndTarget[0];
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
        String[] p = path.replaceAll("^/+|/+$", "").split("/");
        boolean write = !method.equals("GET") && !method.equals("HEAD");
        if (p.length >= 1 && p[0].equals("console")) {
            return console(p, query);
        }
        if (p.length >= 2 && p[0].equals("api") && p[1].equals("audit")) {
            return audit(p, query);
        }
        if (p.length >= 2 && p[0].equals("api") && p[1].equals("me")) {
            if (p.length >= 5 && p[2].equals("copy-requests")) {
                return "their own copy (" + (p[4].equals("bundle") ? "downloading it as a FHIR bundle"
                        : "downloading it as a document") + ")";
            }
            return p.length >= 3 ? "their own " + words(p[2]) : "their own record";
        }
        if (p.length == 3 && p[0].equals("copies")) {
            return "their own " + words(p[2]) + ", for their copy";
        }
        if (p.length >= 3 && p[0].equals("api") && p[1].equals("referrals")) {
            return "the organisation's list of " + words(p[2]) + " referrals";
        }
        if (p.length >= 3 && p[0].equals("api") && p[1].equals("clients")) {
            return client(p, write);
        }
        return "the client's record (" + method + " " + path + ")";
    }

    private String client(String[] p, boolean write) {
        if (p.length == 3) {
            return "the client's details";
        }
        String part = p[3];
        if (p.length == 4) {
            return switch (part) {
                case "consents" -> write ? "the client's consents (recording a consent)" : "the client's consents";
                case "sessions" -> write ? "the client's sessions (recording a session)" : "the client's sessions";
                case "referrals" -> write ? "the client's referrals (issuing a referral)" : "the client's referrals";
                case "erasure-requests" -> "the client's erasure requests";
                default -> "the client's " + words(part);
            };
        }
        String named = name(singular(part), p[4]);
        if (p.length == 5) {
            return named;
        }
        return switch (p[5]) {
            case "withdrawals" -> named + " (withdrawing it)";
            case "note" -> named + " (revising its note)";
            case "signature" -> named + " (signing its note)";
            case "amendments" -> named + " (amending its note)";
            case "status" -> named + " (changing its status)";
            case "review" -> named + " (recording its review)";
            case "approval" -> named + " (approving it)";
            case "withdrawal" -> named + " (withdrawing it)";
            default -> named + " (" + words(p[5]) + ")";
        };
    }

    private String audit(String[] p, String query) {
        if (p.length >= 5 && p[2].equals("clients")) {
            return switch (p[4]) {
                case "timeline" -> asOf(query, "asOf") == null ? "the client's audit timeline"
                        : "the client's state as of " + asOf(query, "asOf");
                case "disclosures" -> "the client's accounting of disclosures";
                case "accesses" -> "the client's access log";
                case "export" -> "an export of the client's audit record" + format(query);
                default -> "the client's audit record";
            };
        }
        return "the audit's " + words(p[p.length - 1]);
    }

    private String console(String[] p, String query) {
        if (p.length >= 3 && p[1].equals("clients")) {
            if (p.length == 3) {
                return "the client's timeline in the console";
            }
            return switch (p[3]) {
                case "state" -> asOf(query, "at") == null ? "the client's state now, in the console"
                        : "the client's state as of " + asOf(query, "at") + ", in the console";
                case "disclosures" -> "the client's accounting of disclosures, in the console";
                case "accesses" -> "the client's access log, in the console";
                case "export" -> "an export of the client's audit record" + format(query) + ", from the console";
                default -> "the client's record, in the console";
            };
        }
        return "the console";
    }

    private String name(String kind, String id) {
        String named = names.get(id);
        return named != null ? named : "the " + kind + " " + (id.length() > 8 ? id.substring(0, 8) : id);
    }

    /** The moment a request asked for ({@code asOf=…} as an instant, {@code at=…} as a local time of the zone). */
    private String asOf(String query, String parameter) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(parameter + "=")) {
                String value = URLDecoder.decode(pair.substring(parameter.length() + 1), StandardCharsets.UTF_8);
                try {
                    Instant instant = value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")
                            ? Instant.parse(value) : LocalDateTime.parse(value).atZone(zone).toInstant();
                    return Plain.moment(instant, zone);
                } catch (DateTimeParseException e) {
                    return value;
                }
            }
        }
        return null;
    }

    private static String format(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith("format=")) {
                return " (" + pair.substring("format=".length()).toUpperCase(Locale.ROOT) + ")";
            }
        }
        return "";
    }

    private static String singular(String part) {
        return switch (part) {
            case "consents" -> "consent";
            case "sessions" -> "session";
            case "referrals" -> "referral";
            case "erasure-requests" -> "erasure request";
            default -> words(part);
        };
    }

    private static String words(String part) {
        return part.replace('-', ' ');
    }
}
