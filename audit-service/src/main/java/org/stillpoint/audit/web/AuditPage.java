package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.audit.ledger.Verification;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.audit.query.ClientHistory;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The compliance officer's page, rendered on the server: client search, then a client's timeline, disclosures, access
 * log and the ledger's verification. Same token rules and access logging as the JSON API.
 */
@RestController
public record AuditPage(AuditQueries queries, ClientAccess access, Verification verification,
                        @Qualifier("stillpointEventJson") ObjectMapper json, Clock clock) {

    /**
     * The page loads nothing but itself (its styles are inline), is never framed, sends no referrer with the client id in
     * it, and is not cached: a compliance page holds who looked at whom.
     */
    @ModelAttribute
    void pageHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
    }

    @GetMapping(value = "/api/audit/ui", produces = MediaType.TEXT_HTML_VALUE)
    public String search(Caller caller, @RequestParam(defaultValue = "") String q) {
        ClientAccess.requireAny(caller, "audit data", Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        String query = q.trim().toLowerCase();
        List<AuditClient> candidates = queries.clients().stream()
                .filter(c -> c.organisationId() != null && caller.belongsTo(OrganisationId.of(c.organisationId())))
                .filter(c -> query.isEmpty() || c.clientId().contains(query) || String.valueOf(c.clinicId()).contains(query))
                .limit(200).toList();
        Set<ClientId> readable = access.readablePlacements(
                caller, candidates.stream().map(AuditQueries::placementOf).flatMap(Optional::stream).toList());
        StringBuilder rows = new StringBuilder();
        for (AuditClient c : candidates) {
            if (readable.contains(ClientId.of(c.clientId()))) {
                rows.append("<tr><td><a href=\"/api/audit/ui/clients/").append(c.clientId()).append("\">")
                    .append(esc(c.clientId())).append("</a></td><td>").append(esc(c.clinicId())).append("</td><td>")
                    .append(c.entries().size()).append("</td></tr>");
            }
        }
        return page("Clients", """
                <form method="get" action="/api/audit/ui"><label>Client id or clinic
                <input name="q" value="%s"></label> <button>Search</button></form>
                <table id="clients"><tr><th>client</th><th>clinic</th><th>events</th></tr>%s</table>
                """.formatted(esc(q), rows));
    }

    @GetMapping(value = "/api/audit/ui/clients/{clientId}", produces = MediaType.TEXT_HTML_VALUE)
    public String client(Caller caller, @PathVariable ClientId clientId) {
        ClientHistory history = AuditController.history(access, queries, json, caller, clientId);
        StringBuilder timeline = new StringBuilder();
        for (AuditEntry e : history.timeline(null)) {
            timeline.append(row(e.occurredAt(), e.recordedAt(), e.type(), e.actor(), e.clinicId(), e.summary()));
        }
        StringBuilder disclosures = new StringBuilder();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> disclosed = (List<Map<String, Object>>) history.disclosures(clock.instant()).get("disclosures");
        for (Map<String, Object> d : disclosed) {
            Map<?, ?> recipient = (Map<?, ?>) d.get("recipient");
            disclosures.append(row(d.get("date"), recipient.get("name") + " (" + recipient.get("kind") + ")", d.get("shared"),
                                   d.get("purpose"), Boolean.TRUE.equals(d.get("emergency")) ? "EMERGENCY" : "", d.get("status")));
        }
        StringBuilder accesses = new StringBuilder();
        for (AuditEntry e : history.accesses()) {
            accesses.append(row(e.occurredAt(), e.actor(), e.clinicId(), e.outcome(), e.summary(), e.service()));
        }
        Verification.Report report = verification.verify(caller.organisationId().toString());
        Verification.Ingest ingest = report.ingest();
        String verified = report.verdict().equals("VERIFIED")
                ? "Ledger verified: " + report.entries() + " entries, head " + report.headHash()
                : report.verdict().equals("INCOMPLETE")
                ? "Ledger incomplete: the " + report.entries() + " entries received verify, but " + ingest.deadLetters()
                        + " records are held as dead letters and the ingest is behind by "
                        + (ingest.lagKnown() ? ingest.lag().values().stream().mapToLong(Long::longValue).sum() + " records "
                        + ingest.lag() : "an unknown number of records (the broker does not answer)")
                : "Ledger NOT verified: " + (report.firstBrokenLink() == null ? report.findings().size() + " integrity findings"
                : "first broken link " + report.firstBrokenLink().index() + " — " + report.firstBrokenLink().reason());
        return page("Client " + clientId, """
                <p><a href="/api/audit/ui">All clients</a></p>
                <p id="verification" class="%s">%s</p>
                <h2>Timeline</h2>
                <table id="timeline"><tr><th>happened</th><th>recorded</th><th>event</th><th>by</th><th>clinic</th><th>what</th></tr>%s</table>
                <h2>Disclosures</h2>
                <table id="disclosures"><tr><th>date</th><th>recipient</th><th>shared</th><th>purpose</th><th></th><th>status</th></tr>%s</table>
                <h2>Access log</h2>
                <table id="accesses"><tr><th>when</th><th>who</th><th>from clinic</th><th>outcome</th><th>what</th><th>service</th></tr>%s</table>
                """.formatted(report.verdict().equals("VERIFIED") ? "ok" : report.valid() ? "incomplete" : "broken", esc(verified), timeline, disclosures, accesses));
    }

    private static String row(Object... cells) {
        StringBuilder row = new StringBuilder("<tr>");
        for (Object cell : cells) {
            row.append("<td>").append(esc(cell == null ? "" : cell.toString())).append("</td>");
        }
        return row.append("</tr>").toString();
    }

    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Stillpoint audit — %s</title>
                <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;
                padding:.2em .5em;text-align:left}.ok{color:#060}.incomplete{color:#a60;font-weight:bold}.broken{color:#a00;font-weight:bold}</style></head>
                <body><h1>%s</h1>%s</body></html>
                """.formatted(esc(title), esc(title), body);
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                   .replace("'", "&#39;");
    }
}
