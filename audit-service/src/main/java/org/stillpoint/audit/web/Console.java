package org.stillpoint.audit.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.stillpoint.audit.config.ConsoleProperties;
import org.stillpoint.audit.ledger.Checkpoint;
import org.stillpoint.audit.ledger.Checkpoints;
import org.stillpoint.audit.ledger.Verification;
import org.stillpoint.audit.query.AccessNames;
import org.stillpoint.audit.query.AccessWords;
import org.stillpoint.audit.query.AuditClient;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.audit.query.ClientHistory;
import org.stillpoint.audit.query.ClientSearch;
import org.stillpoint.audit.query.ConsentAtActs;
import org.stillpoint.audit.query.ConsentDivergences;
import org.stillpoint.audit.query.CopyRequests;
import org.stillpoint.audit.query.EmergencyReview;
import org.stillpoint.audit.query.EmergencyReviews;
import org.stillpoint.audit.query.ErasureNotices;
import org.stillpoint.audit.query.Investigation;
import org.stillpoint.audit.query.Plain;
import org.stillpoint.audit.query.TimelineFilter;
import org.stillpoint.audit.query.TimelineHead;
import org.stillpoint.audit.query.TimelinePage;
import org.stillpoint.audit.query.DirectoryChange;
import org.stillpoint.audit.query.WebhookChange;
import org.stillpoint.audit.query.WhoWorksWhere;
import org.stillpoint.platform.directory.KafkaDirectoryGate;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The compliance console (DESIGN §6, §7): server-side pages for compliance officers and clinic admins, reached through
 * the gateway, which signs the browser in and relays its access token. Find a client; their timeline with filters and
 * pages; their state as of a time; the accounting of disclosures; the access log; the organisation's ledger; exports.
 * The same token rules and access logging as the JSON API: every view of a client's record is itself an access.
 */
@Controller
@RequestMapping("/console")
record Console(AuditQueries queries, ClientAccess access, Verification verification, Checkpoints checkpoints,
               Exports exports, @Qualifier("stillpointEventJson") ObjectMapper json, Clock clock,
               ConsoleProperties settings, EmergencyReviews reviews, ReferralService referrals,
               Investigation investigations, InvestigationExport investigationExport,
               ConsentService consents, ConsentDivergences divergences, NoticeDesk noticeDesk,
               CopyRequests copies, KafkaDirectoryGate directoryGate) {

    /** The request header the gateway puts the browser session's CSRF token in, for the pages' forms. */
    static final String CSRF_HEADER = "X-Stillpoint-Csrf";
    static final int SEARCH_LIMIT = 200;
    /** Every page loads nothing but itself and posts only to the gateway it came through or an identity provider. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
            + "form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'";

    /** Times as the console shows them: to the second, with the zone they are in. */
    public record Times(ZoneId zone) {

        private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

        public String of(Object time) {
            if (time == null) {
                return "";
            }
            Instant instant = time instanceof Instant i ? i : Instant.parse(time.toString());
            return Plain.moment(instant, zone);
        }

        /** A time as a {@code datetime-local} input holds it, to the second (the input's {@code step="1"}). */
        public String input(Instant time) {
            return time == null ? "" : INPUT.format(time.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /** A timeline entry as a row of the console. */
    public record EntryRow(String eventId, String happened, String recorded, String label, String kind, String service,
                           String actor, String clinic, String summary, String outcome) {

        public boolean denied() {
            return "DENIED".equals(outcome);
        }
    }

    /** An emergency referral on the review queue, as the console shows it. */
    public record ReviewRow(String referralId, String clientId, String clinicId, String recipient, String issuedAt,
                            String issuedBy, String dueBy, boolean overdue, String outcome, String reviewedAt,
                            String reviewedBy) {

        static ReviewRow of(ReviewQueue.Item r, Times times) {
            return new ReviewRow(r.referralId(), r.clientId(), r.clinicId(), r.recipient(), times.of(r.issuedAt()),
                                 r.issuedBy(), times.of(r.dueBy()), r.overdue(), Words.outcome(r.outcome()),
                                 times.of(r.reviewedAt()), r.reviewedBy());
        }
    }

    /** A client found by the search. */
    public record ClientRow(String clientId, String clinicId, long entries, String lastActivity, boolean erased) {
    }

    /**
     * Every page is the caller's (an auditor's), never framed, cached or referred on, loads nothing but itself, and
     * posts its forms only to the gateway it came through (or the identity provider a sign-out goes on to).
     */
    @ModelAttribute
    void page(Caller caller, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("caller", caller);
        model.addAttribute("officer", caller.has(Role.COMPLIANCE_OFFICER));
        model.addAttribute("csrf", Optional.ofNullable(request.getHeader(CSRF_HEADER)).orElse(""));
        model.addAttribute("time", new Times(settings.zone()));
        model.addAttribute("zone", settings.zone().getId());
        model.addAttribute("say", new Words.Say());
    }

    @GetMapping
    public String clients(Caller caller, Model model,
                          @RequestParam(required = false) String client, @RequestParam(required = false) String clinic,
                          @RequestParam(required = false) String actor,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        auditor(caller);
        within(from, "from");
        within(to, "to");
        ClientSearch search = new ClientSearch(client, clinic, actor, startOf(from), startOf(to == null ? null : to.plusDays(1)));
        List<AuditClient> found = queries.find(caller.organisationId(), search, SEARCH_LIMIT);
        Set<ClientId> readable = access.listedPlacements(
                caller, "client-search", found.stream().map(AuditQueries::placementOf).flatMap(Optional::stream).toList());
        Times times = new Times(settings.zone());
        model.addAttribute("clients", found.stream().filter(c -> readable.contains(ClientId.of(c.clientId()))).map(c -> {
            TimelineHead head = c.timeline() == null ? TimelineHead.EMPTY : c.timeline();
            return new ClientRow(c.clientId(), c.clinicId(), head.count(),
                                 head.last() == null ? "" : times.of(head.last()), c.erasedAt() != null);
        }).toList());
        model.addAttribute("search", search);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("limit", SEARCH_LIMIT);
        return "console/clients";
    }

    /**
     * Finds a client by name and date of birth (consent-service's name index, asked with the officer's token): posted,
     * so the name is in no address, history or log; answered on the same page with the clients found.
     */
    @PostMapping("/by-name")
    public String byName(Caller caller, Model model, @RequestParam(required = false) String givenName,
                         @RequestParam(required = false) String familyName,
                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                         LocalDate dateOfBirth,
                         @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        auditor(caller);
        if (givenName == null || givenName.isBlank() || familyName == null || familyName.isBlank()) {
            throw Refusal.invalid("invalid-request", givenName == null || givenName.isBlank() ? "givenName"
                    : "familyName", "Give the client's given and family names as written in their record.");
        }
        if (dateOfBirth == null) {
            throw Refusal.invalid("invalid-request", "dateOfBirth", "Give the client's date of birth.");
        }
        List<String> found = consents.byName(givenName.strip(), familyName.strip(), dateOfBirth, authorization);
        Times times = new Times(settings.zone());
        model.addAttribute("clients", found.stream().map(ClientId::of).map(queries::client).flatMap(Optional::stream)
                                           .map(c -> {
                                               TimelineHead head = c.timeline() == null ? TimelineHead.EMPTY : c.timeline();
                                               return new ClientRow(c.clientId(), c.clinicId(), head.count(),
                                                                    head.last() == null ? "" : times.of(head.last()),
                                                                    c.erasedAt() != null);
                                           }).toList());
        model.addAttribute("search", new ClientSearch(null, null, null, null, null));
        model.addAttribute("limit", SEARCH_LIMIT);
        model.addAttribute("byName", true);
        return "console/clients";
    }

    @GetMapping("/clients/{clientId}")
    public String timeline(Caller caller, @PathVariable ClientId clientId, Model model,
                           @RequestParam(required = false) String service, @RequestParam(required = false) String kind,
                           @RequestParam(required = false) String actor,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                           @RequestParam(defaultValue = "0") int page) {
        if (page < 0) {
            throw Refusal.invalid("invalid-parameter", "page", "page must be 0 or more.");
        }
        within(from, "from");
        within(to, "to");
        readable(caller, clientId, model);
        TimelineFilter filter = new TimelineFilter(service, kind, actor, startOf(from),
                                                   startOf(to == null ? null : to.plusDays(1)));
        TimelinePage shown = queries.timeline(clientId, filter, page, settings.pageSize());
        model.addAttribute("filter", filter);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("page", shown);
        model.addAttribute("rows", rows(shown.entries()));
        TimelineHead head = queries.head(clientId);
        model.addAttribute("services", head.services().stream().sorted().toList());
        model.addAttribute("kinds", EventLabels.KINDS);
        model.addAttribute("actors", head.actors().stream().sorted().toList());
        return "console/timeline";
    }

    @GetMapping("/clients/{clientId}/state")
    public String state(Caller caller, @PathVariable ClientId clientId, Model model,
                        @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime at) {
        within(at == null ? null : at.toLocalDate(), "at");
        ClientHistory history = history(caller, clientId, model);
        Instant asOf = at == null ? clock.instant() : at.atZone(settings.zone()).toInstant();
        model.addAttribute("asOf", asOf);
        model.addAttribute("state", history.asOf(asOf));
        return "console/state";
    }

    @GetMapping("/clients/{clientId}/disclosures")
    public String disclosures(Caller caller, @PathVariable ClientId clientId, Model model) {
        model.addAttribute("accounting", history(caller, clientId, model).disclosures(clock.instant()));
        return "console/disclosures";
    }

    /** An act beside the consent it relied on, in the console's words. */
    public record ActRow(String label, String happened, String recorded, boolean lateEntry, boolean emergencyOverride,
                         List<RelianceRow> consents, boolean inForceAtTheAct, boolean inForceWhenRecorded) {

        public boolean differ() {
            return inForceAtTheAct != inForceWhenRecorded;
        }
    }

    /** One consent an act relied on, in the console's words, with its boundaries as consent-service shows them. */
    public record RelianceRow(String consentId, int version, Integer versionAtTheAct, String scopes,
                              String scopesAtTheAct, String form, String method, String grantor, String boundaries,
                              boolean inForceAtTheAct, boolean inForceWhenRecorded) {
    }

    /**
     * Which consent each session and referral relied on, as it stood then, with the two verdicts; the boundaries are
     * read from consent-service with the officer's own token (it decides whether their role reads them).
     */
    @GetMapping("/clients/{clientId}/consent-at-acts")
    public String consentAtActs(Caller caller, @PathVariable ClientId clientId, Model model,
                                @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        List<ConsentAtActs.Act> acts = history(caller, clientId, model).consentAtActs();
        Map<String, String> boundaries = new HashMap<>();
        Words.Say say = new Words.Say();
        Times times = new Times(settings.zone());
        model.addAttribute("acts", acts.stream().map(act -> new ActRow(
                (act.kind().equals("session") ? "Session of " : "Referral of ") + Plain.day(act.occurredAt(),
                                                                                          settings.zone()),
                times.of(act.occurredAt()), times.of(act.recordedAt()), act.lateEntry(), act.emergencyOverride(),
                act.consents().stream().map(c -> new RelianceRow(
                        c.consentId(), c.version(), c.versionAtTheAct(), say.codes(c.scopes()),
                        say.codes(c.scopesAtTheAct()), c.formId() == null ? null : c.formId() + " " + c.formVersion()
                                + " (text SHA-256 " + c.textSha256().substring(0, 12) + "…)",
                        c.method() == null ? null : say.code(c.method()), c.grantor() == null ? null : say.code(c.grantor()),
                        !c.boundariesRecorded() ? "none recorded" : boundaries.computeIfAbsent(
                                c.consentId(), id -> consents.boundaries(clientId.toString(), id, authorization)),
                        c.inForceAtTheAct(), c.inForceWhenRecorded())).toList(),
                act.inForceAtTheAct(), act.inForceWhenRecorded())).toList());
        return "console/consent-at-acts";
    }

    @GetMapping("/clients/{clientId}/accesses")
    public String accesses(Caller caller, @PathVariable ClientId clientId, Model model,
                           @RequestParam(required = false) String outcome) {
        if (outcome != null && !outcome.isBlank() && !Set.of("ALLOWED", "DENIED", "GONE").contains(outcome)) {
            throw Refusal.invalid("invalid-parameter", "outcome", "outcome must be ALLOWED, DENIED or GONE.");
        }
        readable(caller, clientId, model);
        List<AuditEntry> entries = queries.entries(clientId);
        AccessWords words = new AccessWords(settings.zone(), AccessNames.of(
                entries.stream().filter(e -> !e.kind().equals("access")).toList(), settings.zone(), json));
        List<AuditEntry> accesses = entries.stream().filter(e -> e.kind().equals("access"))
                .filter(e -> outcome == null || outcome.isBlank() || outcome.equals(e.outcome())).toList().reversed();
        List<EntryRow> rows = rows(accesses);
        model.addAttribute("rows", IntStream.range(0, rows.size()).mapToObj(i -> said(rows.get(i), accesses.get(i), words))
                                            .toList());
        model.addAttribute("outcome", outcome == null ? "" : outcome);
        model.addAttribute("denials", accesses.stream().filter(e -> "DENIED".equals(e.outcome())).count());
        return "console/accesses";
    }

    @GetMapping("/clients/{clientId}/export")
    public ResponseEntity<String> export(Caller caller, @PathVariable ClientId clientId,
                                         @RequestParam(defaultValue = "json") String format) {
        Exports.requireFormat(format);
        return exports.download(AuditController.history(access, queries, json, caller, clientId), format,
                                clock.instant());
    }

    @GetMapping("/ledger")
    public String ledger(Caller caller, Model model, @RequestParam(required = false) String signed,
                         @RequestParam(defaultValue = "false") boolean full) {
        auditor(caller);
        String organisation = caller.organisationId().toString();
        // a view costs the links added since the last one; every link on request
        model.addAttribute("report", full ? verification.verify(organisation) : verification.verifyNew(organisation));
        model.addAttribute("overdueReviews", reviews.overdue(organisation, settings.reviewWithin(), clock.instant()));
        model.addAttribute("awaitingReviews", reviews.awaiting(organisation).size());
        model.addAttribute("within", Words.duration(settings.reviewWithin()));
        model.addAttribute("signed", signed);
        model.addAttribute("webhookChanges", WebhookChange.of(queries.mongo(), organisation, 20));
        return "console/ledger";
    }

    /** The organisation's clinics, who works where now, and the directory's latest changes. */
    @GetMapping("/directory")
    public String directory(Caller caller, Model model) {
        auditor(caller);
        String organisation = caller.organisationId().toString();
        model.addAttribute("directory", WhoWorksWhere.of(organisation, directoryGate.current(caller.organisationId()),
                                                         DirectoryChange.of(queries.mongo(), organisation, 50),
                                                         clock.instant()));
        return "console/directory";
    }

    /** Signs the head of the organisation's chain now, then shows the ledger again (compliance officers). */
    @PostMapping("/ledger/checkpoints")
    public String checkpoint(Caller caller) {
        ClientAccess.requireAny(caller, "signing the ledger's head (compliance officers)", Role.COMPLIANCE_OFFICER);
        Optional<Checkpoint> signed = checkpoints.sign(caller.organisationId().toString(), caller.subject());
        return "redirect:/console/ledger?signed=" + signed.map(c -> Long.toString(c.index())).orElse("none");
    }

    /** The organisation's emergency referrals issued without consent: those awaiting review, then those reviewed. */
    @GetMapping("/reviews")
    public String reviews(Caller caller, Model model, @RequestParam(required = false) String reviewed,
                          @RequestParam(required = false) String noticed) {
        auditor(caller);
        ReviewQueue.Queue queue = ReviewQueue.of(caller, reviews, settings.reviewWithin(), clock.instant());
        Times times = new Times(settings.zone());
        model.addAttribute("awaiting", queue.awaiting().stream().map(r -> ReviewRow.of(r, times)).toList());
        model.addAttribute("reviewed", queue.reviewed().stream().map(r -> ReviewRow.of(r, times)).toList());
        model.addAttribute("within", Words.duration(settings.reviewWithin()));
        model.addAttribute("justReviewed", reviewed);
        model.addAttribute("consentReviews", AuditController.consentReviewList(access, divergences, caller));
        if (caller.has(Role.COMPLIANCE_OFFICER)) {
            List<ErasureNotices.Notice> notices = noticeDesk.ofOrganisation(caller);
            access.listed(caller, "erasure-notices", notices.stream().map(n -> ClientId.of(n.clientId())).distinct()
                                                            .toList());
            model.addAttribute("notices", notices.stream().map(n -> NoticeRow.of(n, times)).toList());
            model.addAttribute("noticeOutcomes", NoticeDesk.outcomes().stream().collect(Collectors.toMap(
                    o -> o, ErasureNotices::words, (a, b) -> a, LinkedHashMap::new)));
        }
        model.addAttribute("justNoticed", noticed);
        Instant now = clock.instant();
        model.addAttribute("copies", AuditController.copyQueue(access, copies, caller).stream()
                .map(r -> new CopyRow(r.clientId(), r.clinicId(), Plain.code(r.channel()), times.of(r.receivedAt()),
                                      times.of(r.dueBy()), r.owed(), r.overdue(now), Plain.code(r.status()),
                                      r.producedAt() == null ? null : times.of(r.producedAt()), r.answeredLate(),
                                      r.downloadsLeft())).toList());
        return "console/reviews";
    }

    /**
     * One referral under review, as referral-service answers the officer (its reason and justification in clear; the
     * read logged there), with the form that records the outcome.
     */
    @GetMapping("/reviews/{referralId}")
    public String review(Caller caller, @PathVariable String referralId, Model model,
                         @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        EmergencyReview review = reviewable(caller, referralId);
        model.addAttribute("review", ReviewRow.of(ReviewQueue.Item.of(review, settings.reviewWithin(), clock.instant()),
                                                  new Times(settings.zone())));
        model.addAttribute("referral", ReferralService.Details.of(referrals.referral(review.clientId(), referralId,
                                                                                     authorization)));
        model.addAttribute("outcomes", ReferralService.outcomes());
        return "console/review";
    }

    /** Records the officer's review at referral-service, then shows the queue again. */
    @PostMapping("/reviews/{referralId}")
    public String recordReview(Caller caller, @PathVariable String referralId,
                               @RequestParam(required = false) String outcome,
                               @RequestParam(required = false) String notes,
                               @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        ClientAccess.requireAny(caller, "recording a review (compliance officers)", Role.COMPLIANCE_OFFICER);
        EmergencyReview review = reviewable(caller, referralId);
        if (outcome == null || !ReferralService.outcomes().containsKey(outcome)) {
            throw Refusal.invalid("invalid-request", "outcome", "Choose whether the emergency referral was "
                    + "appropriate or not appropriate.");
        }
        referrals.review(review.clientId(), referralId, outcome, notes == null || notes.isBlank() ? null : notes,
                         authorization);
        return "redirect:/console/reviews?reviewed=" + referralId;
    }

    /** A client an investigation found, as the console shows it. */
    public record FindingRow(String clientId, String clinicId, int allowed, int refused, int gone, int listed,
                             String categories, boolean clearTextServed, boolean careRelationship, String first,
                             String last) {

        static FindingRow of(Investigation.ClientFinding f, Times times) {
            return new FindingRow(f.clientId(), f.clinicId(), f.allowed(), f.refused(), f.gone(), f.listed(),
                                  String.join(", ", f.categories()), f.clearTextServed(), f.careRelationship(),
                                  times.of(f.first()), times.of(f.last()));
        }

        /** Read or tried without a care relationship: the snooping signal. */
        public boolean outsideCaseload() {
            return allowed + refused + gone > 0 && !careRelationship;
        }
    }

    /**
     * An investigation that starts from a person (compliance officers): the form, and with an actor and a window the
     * clients they reached, the totals a notification needs, and the export ledger-verifier checks offline.
     */
    @GetMapping("/investigations")
    public String investigation(Caller caller, Model model, @RequestParam(required = false) String actor,
                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                                LocalDateTime from,
                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                                LocalDateTime to) {
        ClientAccess.requireAny(caller, "an investigation (compliance officers)", Role.COMPLIANCE_OFFICER);
        within(from == null ? null : from.toLocalDate(), "from");
        within(to == null ? null : to.toLocalDate(), "to");
        Instant now = clock.instant();
        Instant start = from == null ? now.minus(Duration.ofDays(30)) : from.atZone(settings.zone()).toInstant();
        Instant end = to == null ? now : to.atZone(settings.zone()).toInstant();
        Times times = new Times(settings.zone());
        model.addAttribute("actor", actor == null ? "" : actor.strip());
        model.addAttribute("from", start);
        model.addAttribute("to", end);
        if (actor != null && !actor.isBlank()) {
            AuditController.requireInvestigation(caller, actor, start, end);
            Investigation.Report report = investigations.of(caller.organisationId().toString(), actor.strip(), start,
                                                            end);
            access.listed(caller, "investigation", report.clients().stream()
                                                         .map(c -> ClientId.of(c.clientId())).toList());
            model.addAttribute("report", report);
            model.addAttribute("findings", report.clients().stream().map(f -> FindingRow.of(f, times)).toList());
            model.addAttribute("exportFrom", start.toString());
            model.addAttribute("exportTo", end.toString());
        }
        return "console/investigation";
    }

    /** The investigation as the signed file ledger-verifier checks. */
    @GetMapping("/investigations/export")
    public ResponseEntity<String> investigationExport(Caller caller, @RequestParam(required = false) String actor,
                                                      @RequestParam(required = false) Instant from,
                                                      @RequestParam(required = false) Instant to) {
        return AuditController.investigationFile(access, investigationExport, caller, actor, from, to, clock.instant());
    }

    /**
     * A request for a copy of a client's record, as the console shows it.
     *
     * @param producedAt when the copy was produced (the request answered); null while it is owed
     */
    public record CopyRow(String clientId, String clinicId, String channel, String receivedAt, String dueBy,
                          boolean owed, boolean overdue, String status, String producedAt, boolean answeredLate,
                          Integer downloadsLeft) {
    }

    /** A notice owed after an erasure, as the console shows it. */
    public record NoticeRow(String clientId, String key, String recipient, String referrals, String erasedAt,
                            String lastDisclosedAt, boolean open, String outcome, String closedAt, String closedBy) {

        static NoticeRow of(ErasureNotices.Notice n, Times times) {
            return new NoticeRow(n.clientId(), n.key(), n.recipientName() + " (" + Plain.code(n.recipientKind())
                    + (n.recipientOrganisation() == null ? "" : ", " + n.recipientOrganisation()) + ")",
                                 Integer.toString(n.referrals().size()), times.of(n.erasedAt()),
                                 times.of(n.lastDisclosedAt()), n.open(), ErasureNotices.words(n.outcome()),
                                 times.of(n.closedAt()), n.closedBy());
        }
    }

    /** Closes a notice owed after an erasure as the officer chose, then shows the reviews again. */
    @PostMapping("/erasure-notices/{clientId}/{key}")
    public String closeNotice(Caller caller, @PathVariable ClientId clientId, @PathVariable String key,
                              @RequestParam(required = false) String outcome) {
        noticeDesk.close(caller, clientId, key, outcome);
        return "redirect:/console/reviews?noticed=" + clientId;
    }

    /** A flagged referral of the caller's organisation (404 for any other: another organisation's is no one's here). */
    private EmergencyReview reviewable(Caller caller, String referralId) {
        auditor(caller);
        return reviews.of(referralId).filter(r -> caller.belongsTo(OrganisationId.of(r.organisationId())))
                      .filter(r -> caller.has(Role.COMPLIANCE_OFFICER) || caller.worksAt(ClinicId.of(r.clinicId())))
                      .orElseThrow(() -> Refusal.notFound("review-not-found", "referralId",
                                                          "There is no emergency referral " + referralId
                                                                  + " to review in your organisation."));
    }

    /** Any other page under the console: a 404 page, with the way back. */
    @RequestMapping("/**")
    public String unknown(HttpServletRequest request) {
        throw Refusal.notFound("page-not-found", null, "The console has no page at " + request.getRequestURI() + ".");
    }

    /**
     * The pages that are not about one client are for auditors; a client's pages decide as the API does (another
     * organisation's caller learns nothing of the client, whatever their role).
     */
    private static void auditor(Caller caller) {
        ClientAccess.requireAny(caller, "the compliance console (compliance officers and clinic admins)",
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
    }

    /** The client, for a caller allowed to read their record (the read logged), without their entries. */
    private AuditClient readable(Caller caller, ClientId clientId, Model model) {
        access.read(caller, clientId, AuditController.AUDITORS);
        AuditClient client = queries.client(clientId).orElseThrow();
        model.addAttribute("client", client);
        model.addAttribute("erasedAt", client.erasedAt());
        return client;
    }

    /** The client's whole record, for a caller allowed to read it (the read logged). */
    private ClientHistory history(Caller caller, ClientId clientId, Model model) {
        return new ClientHistory(readable(caller, clientId, model), queries.entries(clientId), json);
    }

    /** An access row in the words of the log, with the names of what it read. */
    private EntryRow said(EntryRow row, AuditEntry entry, AccessWords words) {
        try {
            JsonNode event = json.readTree(entry.payload());
            String organisation = event.path("actorOrganisationId").asText(null);
            String sentence = AccessWords.fromElsewhere(
                    words.sentence(event.path("action").asText(null), event.path("resource").asText(null),
                                   entry.outcome(), event.path("reason").asText(null)),
                    organisation, event.path("organisationId").asText(null));
            String who = organisation != null && !organisation.equals(event.path("organisationId").asText(null))
                    ? row.actor() + " (another organisation: " + organisation + ")" : row.actor();
            return new EntryRow(row.eventId(), row.happened(), row.recorded(), row.label(), row.kind(), row.service(),
                                who, row.clinic(), sentence, row.outcome());
        } catch (JsonProcessingException e) {
            return row;
        }
    }

    private List<EntryRow> rows(List<AuditEntry> entries) {
        Times times = new Times(settings.zone());
        return entries.stream().map(e -> new EntryRow(e.eventId(), times.of(e.occurredAt()), times.of(e.recordedAt()),
                                                      EventLabels.of(e.type()), EventLabels.kind(e.kind()), e.service(),
                                                      e.actor(), e.clinicId(), e.summary(), e.outcome())).toList();
    }

    /** The days a filter may name: the calendar's ends are no one's records, and their next day does not exist. */
    private static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 30);

    private static void within(LocalDate day, String parameter) {
        if (day != null && (day.isBefore(FIRST_DAY) || day.isAfter(LAST_DAY))) {
            throw Refusal.invalid("invalid-parameter", parameter, parameter + " must be a day from " + FIRST_DAY
                    + " to " + LAST_DAY + ".");
        }
    }

    private Instant startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay(settings.zone()).toInstant();
    }
}
