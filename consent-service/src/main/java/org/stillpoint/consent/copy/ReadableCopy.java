package org.stillpoint.consent.copy;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client's copy as a document a person reads (HTML, one file, no scripts, no requests elsewhere): their details,
 * consents, sessions with their notes, referrals, who looked at their record and to whom it was disclosed — dates in
 * the organisation's zone to the second, codes in words. Written section by section as the parts arrive.
 */
final class ReadableCopy implements CopyForm {

    private static final Map<String, String> TITLES = Map.of(
            "consents", "Your consents", "sessions", "Your sessions", "referrals", "Your referrals",
            "accesses", "Who looked at your record", "disclosures", "To whom your record was disclosed");
    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;"
            + "padding:0 1rem;color:#1b1b1b}h1,h2,h3{line-height:1.2}h2{margin-top:2.5rem;border-bottom:1px solid #bbb}"
            + "article{margin:1rem 0 1.5rem}dt{font-weight:600}dd{margin:0 0 .4rem 0}table{border-collapse:collapse;"
            + "width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}"
            + ".when{color:#444}.note{white-space:pre-wrap}";

    private final Writer out;
    private final DateTimeFormatter moment;
    private final DateTimeFormatter day = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private String part;
    private int inPart;
    private String withheldBecause;
    private int count;

    ReadableCopy(Writer out, String requestId, ZoneId zone, Instant at) {
        this.out = out;
        this.moment = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss", Locale.ENGLISH).withZone(zone);
        write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      + "<title>Your record — a copy</title><style>" + STYLE + "</style></head><body>\n<header><h1>Your "
                      + "record</h1><p>A copy of everything your organisation holds about you in Stillpoint, produced on "
                      + esc(moment.format(at)) + " for your request " + esc(requestId) + ". Times are in "
                      + esc(zone.getId()) + ". The same record comes as a FHIR R4 bundle for other systems to read.</p>"
                      + "</header>\n");
    }

    @Override
    public void part(String next, JsonNode header) {
        close();
        part = next;
        inPart = 0;
        if (next.equals("consents")) {
            details(header.path("client"));
        }
        write("<section><h2>" + TITLES.getOrDefault(next, next) + "</h2>\n");
        switch (next) {
            case "sessions" -> {
                String notes = header.path("notes").asText();
                withheldBecause = FhirCopy.withheld(header);
                write("<p>" + switch (notes) {
                    case "shown" -> "Each session with its note as your practitioner wrote it.";
                    case "released" -> "Each session with its note: a clinic administrator released the notes for "
                            + "this copy.";
                    default -> "Each session, without the text of its note. " + esc(withheldBecause);
                } + "</p>\n");
            }
            case "accesses" -> write("<p>Every time someone opened your record, or tried to and was refused"
                                             + (header.path("personShown").asBoolean(true) ? "."
                    : "; your organisation shows the role and clinic of who looked, not their name.") + "</p>\n");
            case "disclosures" -> write("<p>Every time your information was sent to someone outside your clinic"
                                                + (header.hasNonNull("since") ? ", since " + esc(when(header.path("since")
                                                                                                              .asText()))
                    : "") + ".</p>\n");
            default -> {
            }
        }
    }

    @Override
    public void item(String current, JsonNode item) {
        if (inPart == 0 && (current.equals("accesses") || current.equals("disclosures"))) {
            write(current.equals("accesses")
                          ? "<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>"
                            + "<th scope=\"col\">What</th><th scope=\"col\">Outcome</th></tr></thead><tbody>\n"
                          : "<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">To</th>"
                            + "<th scope=\"col\">What was shared</th><th scope=\"col\">Why</th></tr></thead><tbody>\n");
        }
        inPart++;
        count++;
        switch (current) {
            case "consents" -> consent(item);
            case "sessions" -> session(item);
            case "referrals" -> referral(item);
            case "accesses" -> write("<tr><td>" + esc(when(item.path("at").asText())) + "</td><td>"
                                             + esc(Notes.reader(item)) + "</td><td>"
                                             + esc(FhirCopy.text(item, "what") == null ? "your record"
                    : FhirCopy.text(item, "what")) + "</td><td>" + esc(Words.of(item.path("outcome").asText()))
                                             + "</td></tr>\n");
            case "disclosures" -> {
                List<String> shared = new ArrayList<>();
                item.path("shared").forEach(x -> shared.add(x.asText()));
                write("<tr><td>" + esc(when(item.path("date").asText())) + "</td><td>"
                              + esc(Notes.recipient(item.path("recipient"))) + "</td><td>" + esc(Words.list(shared))
                              + "</td><td>" + esc(item.path("emergency").asBoolean() ? "an emergency"
                        : FhirCopy.text(item, "purpose") == null ? "your care" : FhirCopy.text(item, "purpose"))
                              + "</td></tr>\n");
            }
            default -> {
            }
        }
    }

    @Override
    public void finish() {
        close();
        write("<footer><p>" + count + " entries. If something here is wrong, you may ask your clinic to correct it."
                      + "</p></footer>\n</body></html>\n");
    }

    @Override
    public int count() {
        return count;
    }

    private void details(JsonNode client) {
        write("<section><h2>Your details</h2><dl>");
        row("Name", join(FhirCopy.text(client, "givenName"), FhirCopy.text(client, "familyName")));
        String born = FhirCopy.text(client, "dateOfBirth");
        row("Date of birth", born == null ? null : day.format(LocalDate.parse(born)));
        row("Email", FhirCopy.text(client, "email"));
        row("Phone", FhirCopy.text(client, "phone"));
        row("Registered", when(client.path("registeredAt").asText()) + " at clinic " + client.path("clinicId").asText());
        row("Your client number", client.path("clientId").asText());
        write("</dl></section>\n");
    }

    private void consent(JsonNode c) {
        List<String> granted = new ArrayList<>();
        c.path("grantedScopes").forEach(s -> granted.add(s.asText()));
        List<String> active = new ArrayList<>();
        c.path("activeScopes").forEach(s -> active.add(s.asText()));
        write("<article><h3>Consent given " + esc(when(c.path("grantedAt").asText())) + "</h3><dl>");
        row("For", Words.list(granted));
        row("In force now", active.isEmpty() ? "nothing (" + Words.of(c.path("status").asText()) + ")"
                : Words.list(active));
        row("Until", FhirCopy.text(c, "expiresAt") == null ? "you withdraw it" : when(c.path("expiresAt").asText()));
        row("Given", Words.of(c.path("method").asText()) + " by " + Words.of(c.path("grantor").path("kind").asText("CLIENT"))
                + (FhirCopy.text(c.path("grantor"), "name") == null ? "" : " (" + FhirCopy.text(c.path("grantor"), "name")
                + (FhirCopy.text(c.path("grantor"), "relationship") == null ? "" : ", "
                + FhirCopy.text(c.path("grantor"), "relationship")) + ")"));
        row("Witness", FhirCopy.text(c, "witness"));
        row("Your boundaries", FhirCopy.text(c, "boundaries"));
        JsonNode form = c.path("form");
        if (form.isObject()) {
            row("Form", form.path("formId").asText() + ", version " + form.path("version").asText()
                    + " (its text's SHA-256: " + form.path("textSha256").asText() + ")");
        }
        if (c.path("lateEntry").asBoolean()) {
            row("Recorded late", FhirCopy.text(c, "lateEntryReason"));
        }
        write("</dl><ul>");
        for (JsonNode change : c.path("history")) {
            List<String> scopes = new ArrayList<>();
            change.path("scopes").forEach(s -> scopes.add(s.asText()));
            write("<li><span class=\"when\">" + esc(when(change.path("at").asText())) + "</span>: "
                          + esc(Words.of(change.path("change").asText())) + " — " + esc(Words.list(scopes))
                          + (FhirCopy.text(change, "reason") == null ? "" : esc(" (" + FhirCopy.text(change, "reason")
                    + ")")) + "</li>");
        }
        write("</ul></article>\n");
    }

    private void session(JsonNode s) {
        List<String> modalities = new ArrayList<>();
        s.path("modalities").forEach(m -> modalities.add(m.asText()));
        write("<article><h3>Session of " + esc(when(s.path("startedAt").asText())) + "</h3><p>"
                      + s.path("durationMinutes").asInt() + " minutes of " + esc(Words.list(modalities))
                      + " with " + esc(s.path("practitioner").asText()) + " at clinic " + esc(s.path("clinicId").asText())
                      + ".</p><ul>");
        for (Notes.Line line : Notes.of(s, withheldBecause)) {
            line(line);
        }
        write("</ul></article>\n");
    }

    private void referral(JsonNode r) {
        write("<article><h3>Referral of " + esc(when(r.path("issuedAt").asText())) + " to "
                      + esc(Notes.recipient(r.path("recipient"))) + "</h3><dl>");
        row("Urgency", Words.of(r.path("urgency").asText()));
        row("Reason", FhirCopy.text(r, "reason"));
        row("Status", Words.of(r.path("status").asText()));
        row("Sent by", r.path("issuedBy").asText());
        write("</dl><ul>");
        for (Notes.Line line : Notes.ofReferral(r)) {
            line(line);
        }
        write("</ul></article>\n");
    }

    private void line(Notes.Line line) {
        write("<li>" + (line.at() == null ? "" : "<span class=\"when\">" + esc(when(line.at())) + "</span>: ")
                      + "<span class=\"note\">" + esc(line.text()) + "</span></li>");
    }

    /** Ends the section of the part written last, saying so when it held nothing. */
    private void close() {
        if (part == null) {
            return;
        }
        if (inPart == 0) {
            write("<p>None.</p>");
        } else if (part.equals("accesses") || part.equals("disclosures")) {
            write("</tbody></table>");
        }
        write("</section>\n");
        part = null;
    }

    private void row(String term, String value) {
        if (value != null && !value.isBlank()) {
            write("<dt>" + esc(term) + "</dt><dd>" + esc(value) + "</dd>");
        }
    }

    private String when(String instant) {
        try {
            return moment.format(Instant.parse(instant));
        } catch (DateTimeParseException | NullPointerException e) {
            return instant == null ? "" : instant;
        }
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + " " + b;
    }

    private static String esc(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text);
    }

    private void write(String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
