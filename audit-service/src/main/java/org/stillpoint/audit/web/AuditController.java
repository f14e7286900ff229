package org.stillpoint.audit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.audit.config.ConsoleProperties;
import org.stillpoint.audit.ledger.Checkpoint;
import org.stillpoint.audit.ledger.Checkpoints;
import org.stillpoint.audit.ledger.Verification;
import org.stillpoint.audit.query.AuditQueries;
import org.stillpoint.audit.query.ClientHistory;
import org.stillpoint.audit.query.ConsentAtActs;
import org.stillpoint.audit.query.ConsentDivergences;
import org.stillpoint.audit.query.CopyRequests;
import org.stillpoint.audit.query.EmergencyReviews;
import org.stillpoint.audit.query.ErasureNotices;
import org.stillpoint.audit.query.Investigation;
import org.stillpoint.audit.query.DirectoryChange;
import org.stillpoint.audit.query.WebhookChange;
import org.stillpoint.audit.query.WhoWorksWhere;
import org.stillpoint.platform.directory.KafkaDirectoryGate;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The audit's HTTP API (DESIGN §6, §7): timeline (or state as of a time), disclosures, accesses, exports, and the
 * ledger's verification. Only compliance officers (organisation-wide) and clinic admins (their clinics) read it, and
 * every read is itself logged.
 */
@RestController
@RequestMapping("/api/audit")
record AuditController(AuditQueries queries, ClientAccess access, Verification verification, Exports exports,
                       Checkpoints checkpoints, @Qualifier("stillpointEventJson") ObjectMapper json,
                       Clock clock, EmergencyReviews reviews, ConsoleProperties settings, Investigation investigations,
                       InvestigationExport investigationExport, ConsentDivergences divergences,
                       NoticeDesk noticeDesk, CopyRequests copies, KafkaDirectoryGate directoryGate) {

    static final Set<Role> AUDITORS = Set.of(Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);

    /** Every entry of a client's timeline, in order. */
    public record Timeline(String clientId, List<Exports.EntryView> entries) {
    }

    /** A client's access log, in order. */
    public record Accesses(String clientId, List<Exports.EntryView> accesses) {
    }

    /**
     * The timeline ({@link Timeline}), or with {@code asOf} the record's state then ({@link ClientHistory.StateView});
     * with {@code about} as well, on both axes: as recorded by {@code asOf}, about the moment {@code about}.
     */
    @GetMapping("/clients/{clientId}/timeline")
    public Object timeline(Caller caller, @PathVariable ClientId clientId, @RequestParam(required = false) Instant asOf,
                           @RequestParam(required = false) Instant about) {
        if (about != null && asOf == null) {
            throw Refusal.invalid("invalid-parameter", "asOf", "about names a moment as recorded by asOf: give asOf "
                    + "too (now, for what is recorded today).");
        }
        ClientHistory history = history(caller, clientId);
        if (asOf != null) {
            return history.asOf(asOf, about == null ? asOf : about);
        }
        return new Timeline(clientId.toString(), exports.rows(history.entries(), false));
    }

    /** Each session and referral of the client beside the consents it relied on, as they stood then. */
    public record ActsView(String clientId, List<ConsentAtActs.Act> acts) {
    }

    /**
     * Which consent each act relied on, as it stood then ({@link ConsentAtActs}): its version, scopes, form and method,
     * and the two verdicts — in force at the act's moment, and when the act was recorded.
     */
    @GetMapping("/clients/{clientId}/consent-at-acts")
    public ActsView consentAtActs(Caller caller, @PathVariable ClientId clientId) {
        return new ActsView(clientId.toString(), history(caller, clientId).consentAtActs());
    }

    /** The organisation's acts whose two consent verdicts differ. */
    public record ConsentReviewList(String organisationId, List<ConsentDivergences.Divergence> acts) {
    }

    /**
     * The review list across the organisation (compliance officers; clinic admins see their clinics'): acts whose
     * consent was in force at one of their two moments and not at the other. Logged as one list of the clients in it.
     */
    @GetMapping("/consent-reviews")
    public ConsentReviewList consentReviews(Caller caller) {
        return new ConsentReviewList(caller.organisationId().toString(), consentReviewList(access, divergences, caller));
    }

    /** The acts of the review list the caller may read (the list logged as one access). */
    static List<ConsentDivergences.Divergence> consentReviewList(ClientAccess access, ConsentDivergences divergences,
                                                                Caller caller) {
        ClientAccess.requireAny(caller, "the consent review list (compliance officers and clinic admins)",
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        return readable(access, caller, "consent-reviews", divergences.of(caller.organisationId().toString()),
                        ConsentDivergences.Divergence::clientId);
    }

    /** Of {@code items}, those whose client the caller may read: the list logged as one access of those clients. */
    private static <T> List<T> readable(ClientAccess access, Caller caller, String list, List<T> items,
                                        Function<T, String> clientOf) {
        Set<ClientId> readable = access.listed(caller, list, items.stream().map(i -> ClientId.of(clientOf.apply(i)))
                                                                  .toList());
        return items.stream().filter(i -> readable.contains(ClientId.of(clientOf.apply(i)))).toList();
    }

    @GetMapping("/clients/{clientId}/disclosures")
    public ClientHistory.DisclosuresView disclosures(Caller caller, @PathVariable ClientId clientId) {
        return history(caller, clientId).disclosures(clock.instant());
    }

    @GetMapping("/clients/{clientId}/accesses")
    public Accesses accesses(Caller caller, @PathVariable ClientId clientId) {
        access.read(caller, clientId, AUDITORS);
        return new Accesses(clientId.toString(), exports.rows(queries.accesses(clientId), false));
    }

    /** The client's timeline, disclosures and access log, with ledger hashes: {@code json}, {@code csv} or {@code fhir}. */
    @GetMapping("/clients/{clientId}/export")
    public ResponseEntity<String> export(Caller caller, @PathVariable ClientId clientId,
                                         @RequestParam(defaultValue = "json") String format) {
        Exports.requireFormat(format);
        return exports.download(history(caller, clientId), format, clock.instant());
    }

    /**
     * Signs the head of the caller's organisation's chain now (compliance officers): {@code 201} with the checkpoint,
     * the one signed before when the head has not moved; {@code 409} when the chain is empty or does not verify.
     */
    @PostMapping("/ledger/checkpoints")
    public ResponseEntity<Checkpoint> checkpoint(Caller caller) {
        ClientAccess.requireAny(caller, "signing the ledger's head (compliance officers)", Role.COMPLIANCE_OFFICER);
        String organisation = caller.organisationId().toString();
        Checkpoint checkpoint = checkpoints.sign(organisation, caller.subject()).orElseThrow(() -> Refusal.conflict(
                "chain-not-signable", null, "The ledger of " + organisation + " is empty or does not verify: there is "
                        + "no head to vouch for (GET /api/audit/ledger/verification says why)."));
        return ResponseEntity.created(URI.create("/api/audit/ledger/checkpoints/" + checkpoint.index()))
                             .body(checkpoint);
    }

    /**
     * The emergency-review queue of the caller's organisation: referrals issued without consent awaiting a compliance
     * officer's review (oldest first, each with when it is due and whether it is overdue), and the reviews recorded.
     */
    @GetMapping("/reviews")
    public ReviewQueue.Queue reviews(Caller caller) {
        ClientAccess.requireAny(caller, "the review queue (compliance officers and clinic admins)",
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        return ReviewQueue.of(caller, reviews, settings.reviewWithin(), clock.instant());
    }

    /**
     * An investigation that starts from a person: every client of the caller's organisation whose record {@code actor}
     * read or tried to read in [{@code from}, {@code to}), what of it, allowed or refused, whether clear text was
     * served, and whether the actor had a care relationship with the client then ({@link Investigation}); the totals a
     * notification needs. Compliance officers only; the investigation is itself an access, naming the clients it
     * listed.
     */
    @GetMapping("/investigations")
    public Investigation.Report investigation(Caller caller, @RequestParam(required = false) String actor,
                                              @RequestParam(required = false) Instant from,
                                              @RequestParam(required = false) Instant to) {
        requireInvestigation(caller, actor, from, to);
        Investigation.Report report = investigations.of(caller.organisationId().toString(), actor.strip(), from, to);
        access.listed(caller, "investigation", report.clients().stream()
                                                     .map(c -> ClientId.of(c.clientId())).toList());
        return report;
    }

    /**
     * The same investigation as a signed file whose completeness ledger-verifier checks offline against the
     * organisation's signed checkpoints ({@link InvestigationExport}).
     */
    @GetMapping("/investigations/export")
    public ResponseEntity<String> investigationExport(Caller caller, @RequestParam(required = false) String actor,
                                                      @RequestParam(required = false) Instant from,
                                                      @RequestParam(required = false) Instant to) {
        return investigationFile(access, investigationExport, caller, actor, from, to, clock.instant());
    }

    /** The investigation's signed file, for a compliance officer (the investigation logged as a list of clients). */
    static ResponseEntity<String> investigationFile(ClientAccess access, InvestigationExport exports, Caller caller,
                                                    String actor, Instant from, Instant to, Instant at) {
        requireInvestigation(caller, actor, from, to);
        InvestigationExport.File export = exports.of(caller.organisationId().toString(), actor.strip(), from, to, at);
        access.listed(caller, "investigation", export.report().clients().stream()
                                                     .map(c -> ClientId.of(c.clientId())).toList());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                             .header("Content-Disposition", "attachment; filename=\"investigation.json\"")
                             .body(export.json());
    }

    /** The organisation's requests for a copy of a client's record, soonest due first. */
    public record CopyQueue(String organisationId, long owed, long overdue, List<CopyRequests.Request> requests) {
    }

    /**
     * The queue of clients' requests for a copy of their record (compliance officers; clinic admins see their clinics'):
     * what is owed, by when, and what is overdue. Logged as one list of the clients in it.
     */
    @GetMapping("/copy-requests")
    public CopyQueue copyRequests(Caller caller) {
        List<CopyRequests.Request> requests = copyQueue(access, copies, caller);
        Instant now = clock.instant();
        return new CopyQueue(caller.organisationId().toString(),
                             requests.stream().filter(CopyRequests.Request::owed).count(),
                             requests.stream().filter(r -> r.overdue(now)).count(), requests);
    }

    /** The requests of the queue the caller may read (the list logged as one access). */
    static List<CopyRequests.Request> copyQueue(ClientAccess access, CopyRequests copies, Caller caller) {
        ClientAccess.requireAny(caller, "the copy requests (compliance officers and clinic admins)",
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        return readable(access, caller, "copy-requests", copies.of(caller.organisationId().toString()),
                        CopyRequests.Request::clientId);
    }

    /** The notices owed after the organisation's erasures, open first (GDPR Art. 19). */
    public record NoticeList(String organisationId, long open, List<ErasureNotices.Notice> notices) {
    }

    /** The changes of the organisation's webhook subscriptions, newest first. */
    public record WebhookChanges(String organisationId, List<WebhookChange> changes) {
    }

    /**
     * The organisation's clinics and who works where now (the directory as every service decides on it), and its latest
     * 200 changes, newest first, each in the organisation's ledger (compliance officers and clinic admins).
     */
    @GetMapping("/directory")
    public WhoWorksWhere directory(Caller caller) {
        ClientAccess.requireAny(caller, "reading the organisation's directory (compliance officers, clinic admins)",
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        String organisation = caller.organisationId().toString();
        return WhoWorksWhere.of(organisation, directoryGate.current(caller.organisationId()),
                                DirectoryChange.of(queries.mongo(), organisation, 200), clock.instant());
    }

    /**
     * What the organisation's compliance officers did to its webhook subscriptions, and what delivery-service did by
     * itself (paused a failing endpoint, disabled a gone one): the latest 200, newest first (compliance officers).
     */
    @GetMapping("/webhooks")
    public WebhookChanges webhooks(Caller caller) {
        ClientAccess.requireAny(caller, "reading the organisation's webhook changes (compliance officers)",
                                Role.COMPLIANCE_OFFICER);
        String organisation = caller.organisationId().toString();
        return new WebhookChanges(organisation, WebhookChange.of(queries.mongo(), organisation, 200));
    }

    /**
     * The recipients owed a notice after each erasure of the organisation (compliance officers), each open until an
     * officer closes it as told or not owed; logged as one list of the clients in it.
     */
    @GetMapping("/erasure-notices")
    public NoticeList erasureNotices(Caller caller) {
        List<ErasureNotices.Notice> all = noticeDesk.ofOrganisation(caller);
        access.listed(caller, "erasure-notices", all.stream().map(n -> ClientId.of(n.clientId())).distinct().toList());
        return new NoticeList(caller.organisationId().toString(), all.stream().filter(ErasureNotices.Notice::open).count(),
                              all);
    }

    /** How a notice is closed: {@code {"outcome":"NOTIFIED_BY_LETTER"}}. */
    public record NoticeClosing(String outcome) {
    }

    /**
     * Closes one notice: told (by letter, email, secure message, telephone) or not owed (impossible, disproportionate
     * effort, the recipient holds none of the data). {@code 400} naming {@code outcome}, {@code 404 notice-not-found},
     * {@code 409 notice-closed}.
     */
    @PostMapping("/clients/{clientId}/erasure-notices/{key}")
    public ErasureNotices.Notice closeNotice(Caller caller, @PathVariable ClientId clientId, @PathVariable String key,
                                             @RequestBody(required = false)
                                             NoticeClosing closing) {
        return noticeDesk.close(caller, clientId, key, closing == null ? null : closing.outcome());
    }

    /** Refuses, naming the parameter, an investigation a caller may not ask for or a window that is not one. */
    static void requireInvestigation(Caller caller, String actor, Instant from, Instant to) {
        ClientAccess.requireAny(caller, "an investigation (compliance officers)", Role.COMPLIANCE_OFFICER);
        if (actor == null || actor.isBlank()) {
            throw Refusal.invalid("invalid-parameter", "actor", "Name the person investigated: actor=<their subject>.");
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw Refusal.invalid("invalid-parameter", from == null ? "from" : "to",
                                  "An investigation covers a window: from and to, instants with from before to.");
        }
    }

    @GetMapping("/ledger/verification")
    public Verification.Report verification(Caller caller) {
        ClientAccess.requireAny(caller, "the ledger's verification", Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        return verification.verify(caller.organisationId().toString());
    }

    private ClientHistory history(Caller caller, ClientId clientId) {
        return history(access, queries, json, caller, clientId);
    }

    /** The client's audit record for a caller allowed to read it (the read logged); the API's and the page's. */
    static ClientHistory history(ClientAccess access, AuditQueries queries, ObjectMapper json, Caller caller,
                                 ClientId clientId) {
        access.read(caller, clientId, AUDITORS);
        return new ClientHistory(queries.client(clientId).orElseThrow(), queries.entries(clientId), json);
    }
}
