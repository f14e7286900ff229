package org.stillpoint.consent.command;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SealedFields;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyNotesDecided;
import org.stillpoint.contracts.consent.CopyNotesReferred;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;
import org.stillpoint.contracts.consent.ErasureRefused;
import org.stillpoint.contracts.consent.ErasureRequestWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.contracts.consent.Grantor;
import org.stillpoint.contracts.consent.GrantorKind;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.command.EntryWindows;
import org.stillpoint.platform.command.EventSourced;
import org.stillpoint.platform.crypto.FieldCipher;
import org.stillpoint.platform.input.PlainText;
import org.stillpoint.platform.problem.Refusal;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A client and every consent they gave, as one consistency boundary: all of a client's consent events form one
 * ordered stream, which is also their order on Kafka.
 */
@EventSourced
public class Client {

    /** Who may consent for an adult client (a guardian's consent is otherwise for a minor only). */
    static final List<String> LEGAL_REPRESENTATIVES = List.of("legal representative", "court-appointed guardian",
                                                              "attorney under a lasting power of attorney");

    /** How far ahead of the request a consent's given time may be, for clock skew between devices. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    @AggregateIdentifier
    private ClientId clientId;
    private OrganisationId organisationId;
    private ClinicId clinicId;
    private Sealed personalDetails;
    private Map<String, ConsentState> consents = new HashMap<>();
    /** The latest time of the client's registration or of any consent event: where retention is counted from. */
    private Instant lastActivity;
    /** Pending erasure requests, by id. */
    private Map<String, PendingErasure> pendingErasures = new HashMap<>();
    private Set<String> closedErasures = new HashSet<>();
    /** The copies asked for and not yet answered, by request id, with when each is due. */
    private Map<String, Instant> openCopies = new LinkedHashMap<>();
    /** The open requests whose notes a clinic administrator was asked to decide on, and those decided. */
    private Set<String> notesReferred = new LinkedHashSet<>();
    private Set<String> notesDecided = new LinkedHashSet<>();
    /** The copies produced, by request: until when and how many more times each can be downloaded. */
    private Map<String, ProducedCopy> copies = new LinkedHashMap<>();
    private Instant erasedAt;

    protected Client() {
    }

    @CommandHandler
    public Client(RegisterClient command, FieldCipher cipher) {
        Sealed details = cipher.sealJson(command.clientId(), SealedFields.PERSONAL_DETAILS, command.details());
        apply(new ClientRegistered(command.clientId(), command.organisationId(), command.clinicId(), details,
                                   command.at(), command.actor()));
    }

    @CommandHandler
    public void handle(GrantConsent command, FieldCipher cipher, EntryWindows windows) {
        refuseIfErased();
        if (consents.containsKey(command.consentId().toString())) {
            throw Refusal.conflict("consent-exists", "consentId", "Consent " + command.consentId() + " exists already.");
        }
        if (command.scopes() == null || command.scopes().isEmpty()) {
            throw Refusal.unprocessable("empty-scope", "scopes", "A consent must cover at least one scope.");
        }
        Instant grantedAt = command.grantedAt() == null ? command.at() : command.grantedAt();
        if (grantedAt.isAfter(command.at().plus(CLOCK_SKEW))) {
            throw Refusal.unprocessable("granted-in-future", "grantedAt", "Consent cannot be given in the future.");
        }
        if (command.expiresAt() != null && !command.expiresAt().isAfter(command.at())) {
            throw Refusal.unprocessable("expiry-in-past", "expiresAt", "The expiry must lie in the future.");
        }
        if (command.expiresAt() != null && command.expiresAt().isAfter(command.at().plus(windows.horizon()))) {
            throw Refusal.unprocessable("expiry-beyond-horizon", "expiresAt", "A consent can be given an expiry up to "
                    + windows.horizon().toDays() + " days ahead; ask again then.");
        }
        boolean late = windows.late(grantedAt, command.at(), command.lateEntryReason(), "grantedAt", "lateEntryReason");
        if (command.expiresAt() != null && !command.expiresAt().isAfter(grantedAt)) {
            throw Refusal.unprocessable("expiry-before-grant", "expiresAt", "The expiry must come after the time consent was given.");
        }
        if (command.method() == ConsentMethod.VERBAL_WITNESSED && isBlank(command.witnessName())) {
            throw Refusal.unprocessable("witness-missing", "witness", "A verbal consent needs the name of its witness.");
        }
        GrantorKind grantorKind = command.grantorKind() == null ? GrantorKind.CLIENT : command.grantorKind();
        PersonalDetails details = cipher.of(clientId).openJson(personalDetails, SealedFields.PERSONAL_DETAILS, PersonalDetails.class).orElseThrow(
                () -> Refusal.conflict("client-erased", "clientId", "This client's personal data was erased."));
        if (grantorKind == GrantorKind.CLIENT && details.isMinorOn(grantedAt.atOffset(ZoneOffset.UTC).toLocalDate())) {
            throw Refusal.unprocessable("guardian-required", "grantor.kind",
                                        "The client is a minor: consent must be given by a guardian.");
        }
        if (grantorKind == GrantorKind.GUARDIAN
                && (isBlank(command.guardianName()) || isBlank(command.guardianRelationship()))) {
            throw Refusal.unprocessable("guardian-details-missing",
                                        isBlank(command.guardianName()) ? "grantor.name" : "grantor.relationship",
                                        "A guardian's consent needs the guardian's name and relationship to the client.");
        }
        if (grantorKind == GrantorKind.GUARDIAN && !details.isMinorOn(grantedAt.atOffset(ZoneOffset.UTC).toLocalDate())
                && !LEGAL_REPRESENTATIVES.contains(command.guardianRelationship().strip().toLowerCase(Locale.ROOT))) {
            throw Refusal.unprocessable("guardian-not-allowed", "grantor.relationship",
                                        "The client is an adult: the consent is theirs to give, unless a legal "
                                                + "representative gives it (relationship one of "
                                                + String.join(", ", LEGAL_REPRESENTATIVES) + ").");
        }
        Grantor grantor = grantorKind == GrantorKind.CLIENT
                ? new Grantor(GrantorKind.CLIENT, null, null)
                : new Grantor(GrantorKind.GUARDIAN, cipher.seal(clientId, SealedFields.GUARDIAN_NAME, command.guardianName()),
                              command.guardianRelationship());
        apply(new ConsentGranted(clientId, command.consentId(),
                                 command.clinicId() == null ? clinicId : command.clinicId(),
                                 command.scopes(), command.form(), command.method(), grantor,
                                 cipher.seal(clientId, SealedFields.WITNESS, PlainText.blankToNull(command.witnessName())),
                                 cipher.seal(clientId, SealedFields.BOUNDARIES, PlainText.blankToNull(command.boundaries())),
                                 grantedAt, command.expiresAt(), command.at(), command.actor(), late,
                                 cipher.seal(clientId, SealedFields.CONSENT_LATE_ENTRY_REASON,
                                             PlainText.blankToNull(command.lateEntryReason()))));
    }

    @CommandHandler
    public void handle(WithdrawConsent command, FieldCipher cipher) {
        refuseIfErased();
        ConsentState consent = existing(command.consentId().toString());
        if (!consent.activeAt(command.at())) {
            throw Refusal.conflict("consent-not-active", "consentId",
                                   "Consent " + command.consentId() + " is no longer active; there is nothing to withdraw.");
        }
        Set<ConsentScope> withdrawing = command.scopes() == null || command.scopes().isEmpty()
                ? consent.scopes() : command.scopes();
        Set<ConsentScope> notGranted = withdrawing.stream().filter(s -> !consent.scopes().contains(s))
                                                  .collect(Collectors.toCollection(TreeSet::new));
        if (!notGranted.isEmpty()) {
            throw Refusal.unprocessable("scope-not-granted", "scopes",
                                        "Consent " + command.consentId() + " does not cover " + notGranted + ".");
        }
        EnumSet<ConsentScope> remaining = EnumSet.copyOf(consent.scopes());
        remaining.removeAll(withdrawing);
        apply(new ConsentWithdrawn(clientId, command.consentId(), withdrawing, remaining,
                                   cipher.seal(clientId, SealedFields.WITHDRAWAL_REASON, PlainText.blankToNull(command.reason())), command.at(), command.actor()));
    }

    @CommandHandler
    public void handle(ExpireConsent command) {
        refuseIfErased();
        ConsentState consent = existing(command.consentId().toString());
        if (consent.ended()) {
            throw Refusal.conflict("consent-not-active", "consentId", "Consent " + command.consentId() + " has ended already.");
        }
        if (consent.expiresAt() == null || command.at().isBefore(consent.expiresAt())) {
            throw Refusal.conflict("not-yet-expired", "consentId", "Consent " + command.consentId() + " has not reached its expiry.");
        }
        apply(new ConsentExpired(clientId, command.consentId(), consent.scopes(), consent.expiresAt(), command.at()));
    }

    /**
     * The client moves to another clinic of the organisation, with their id, key and history. Only consents given at
     * the clinic they leave, active now, can be carried over; each is named, and the others stay the old clinic's.
     */
    @CommandHandler
    public void handle(TransferClient command, FieldCipher cipher) {
        refuseIfErased();
        if (command.toClinicId().equals(clinicId)) {
            throw Refusal.unprocessable("same-clinic", "toClinicId", "The client is registered at " + clinicId
                    + " already.");
        }
        if (isBlank(command.reason())) {
            throw Refusal.unprocessable("reason-missing", "reason", "A transfer states its reason.");
        }
        List<ConsentId> carried = command.carriedOver() == null ? List.of() : command.carriedOver();
        for (int i = 0; i < carried.size(); i++) {
            ConsentState consent = consents.get(carried.get(i).toString());
            String field = "carriedOver[" + i + "]";
            if (consent == null) {
                throw Refusal.unprocessable("consent-not-found", field, "This client has no consent " + carried.get(i)
                        + ".");
            }
            if (!consent.clinicId().equals(clinicId)) {
                throw Refusal.unprocessable("consent-of-another-clinic", field, "Consent " + carried.get(i)
                        + " was given at " + consent.clinicId() + ", not at " + clinicId + ", which the client leaves.");
            }
            if (!consent.activeAt(command.at())) {
                throw Refusal.unprocessable("consent-not-active", field, "Consent " + carried.get(i)
                        + " is not active now: there is nothing of it to carry over.");
            }
            if (carried.subList(0, i).contains(carried.get(i))) {
                throw Refusal.unprocessable("consent-named-twice", field, "Consent " + carried.get(i)
                        + " is named twice.");
            }
        }
        apply(new ClientTransferred(clientId, organisationId, clinicId, command.toClinicId(), carried,
                                    cipher.seal(clientId, SealedFields.TRANSFER_REASON, command.reason().strip()),
                                    command.at(), command.actor()));
    }

    @CommandHandler
    public void handle(RequestErasure command, FieldCipher cipher) {
        refuseIfErased();
        if (!pendingErasures.isEmpty()) {
            throw Refusal.conflict("erasure-pending", "requestId", "An erasure of this client is requested already ("
                    + pendingErasures.keySet().iterator().next() + "); approve or withdraw that one.")
                         .with("requestId", pendingErasures.keySet().iterator().next());
        }
        apply(new ErasureRequested(clientId, command.requestId(), organisationId, clinicId, command.legalBasis(),
                                   cipher.seal(clientId, SealedFields.ERASURE_REASON, command.reason()), command.at(),
                                   command.actor()));
    }

    /**
     * A request for a copy of the record: refused while another is open (the client asked already; it is answered by
     * its due date), and for an erased client.
     */
    @CommandHandler
    public void handle(RequestCopy command) {
        refuseIfErased();
        if (!openCopies.isEmpty()) {
            Map.Entry<String, Instant> open = openCopies.entrySet().iterator().next();
            throw Refusal.conflict("copy-request-open", "requestId", "A copy of this client's record was asked for "
                    + "already (" + open.getKey() + "); it is due by " + open.getValue() + ".")
                         .with("requestId", open.getKey()).with("dueBy", open.getValue());
        }
        apply(new CopyRequested(clientId, command.requestId(), organisationId, clinicId, command.channel(),
                                command.receivedAt(), command.dueBy(), command.at(), command.actor()));
    }

    /** The organisation does not show notes to clients: a clinic administrator decides for this copy. */
    @CommandHandler
    public void handle(ReferCopyNotes command) {
        refuseIfErased();
        String id = openCopy(command.requestId());
        if (notesReferred.contains(id)) {
            throw Refusal.conflict("copy-notes-referred-already", "requestId", "The notes of request " + id
                    + " await a clinic administrator's decision already.");
        }
        apply(new CopyNotesReferred(clientId, command.requestId(), organisationId, clinicId, command.at()));
    }

    /**
     * A clinic administrator releases the notes for the copy, or decides they are not part of it, with a reason:
     * once, and only for a request referred to them.
     */
    @CommandHandler
    public void handle(DecideCopyNotes command, FieldCipher cipher) {
        refuseIfErased();
        String id = openCopy(command.requestId());
        if (notesDecided.contains(id)) {
            throw Refusal.conflict("copy-notes-decided", "requestId", "The notes of request " + id
                    + " were decided on already.");
        }
        if (!notesReferred.contains(id)) {
            throw Refusal.conflict("copy-notes-not-referred", "requestId", "Request " + id + " does not await a "
                    + "decision on the notes: its organisation shows them to clients, or the copy has not looked yet.");
        }
        if (!command.release() && (command.reason() == null || command.reason().isBlank())) {
            throw Refusal.invalid("invalid-request", "reason", "reason is required when the notes are not released: "
                    + "the copy states it to the client.");
        }
        apply(new CopyNotesDecided(clientId, command.requestId(), organisationId, clinicId, command.release(),
                                   command.release() ? null
                                           : cipher.seal(clientId, SealedFields.COPY_NOTES_REASON, command.reason()),
                                   command.at(), command.actor()));
    }

    private String openCopy(UUID requestId) {
        String id = requestId.toString();
        if (!openCopies.containsKey(id)) {
            throw Refusal.notFound("copy-request-not-found", "requestId", "This client has no open request " + id
                    + " for a copy.");
        }
        return id;
    }

    /**
     * The copy asked for is produced: the request is answered. A second production of the same request (an instance
     * that took the client's segment over while the first was still at work) is refused, so the first one stands.
     */
    @CommandHandler
    public void handle(RecordCopyProduced command) {
        refuseIfErased();
        String id = command.requestId().toString();
        if (copies.containsKey(id)) {
            throw Refusal.conflict("copy-produced-already", "requestId", "The copy of request " + id
                    + " was produced already.");
        }
        openCopy(command.requestId());
        apply(new CopyProduced(clientId, command.requestId(), organisationId, clinicId, command.producedAt(),
                               command.availableUntil(), command.downloadsAllowed(), command.notes(),
                               command.resources(), command.bundleSha256(), command.documentSha256()));
    }

    /**
     * One more download of a produced copy, counted before a byte of it goes out: refused before it is produced
     * ({@code 409 copy-not-ready}), after its time ({@code 410 copy-expired}) or its last download
     * ({@code 410 copy-downloads-used}).
     *
     * @return the downloads left after this one
     */
    @CommandHandler
    public int handle(DownloadCopy command) {
        refuseIfErased();
        String id = command.requestId().toString();
        ProducedCopy copy = copies.get(id);
        if (copy == null) {
            if (openCopies.containsKey(id)) {
                throw Refusal.conflict("copy-not-ready", "requestId", "The copy of request " + id
                        + " is not produced yet; its status says when it is.");
            }
            throw Refusal.notFound("copy-request-not-found", "requestId", "This client has no request " + id
                    + " for a copy.");
        }
        if (!command.at().isBefore(copy.availableUntil())) {
            throw Refusal.gone("copy-expired", "requestId", "The copy of request " + id + " could be downloaded until "
                    + copy.availableUntil() + "; ask for a new one.");
        }
        if (copy.downloadsLeft() <= 0) {
            throw Refusal.gone("copy-downloads-used", "requestId", "The copy of request " + id + " was downloaded as "
                    + "many times as it allows; ask for a new one.");
        }
        apply(new CopyDownloaded(clientId, command.requestId(), organisationId, clinicId, command.format(),
                                 command.at(), command.actor(), copy.downloadsLeft() - 1));
        return copy.downloadsLeft() - 1;
    }

    /** A produced copy, as this aggregate decides on its downloads. */
    record ProducedCopy(Instant availableUntil, int downloadsLeft) {
    }

    @CommandHandler
    public void handle(WithdrawErasureRequest command) {
        refuseIfErased();
        pending(command.requestId());
        apply(new ErasureRequestWithdrawn(clientId, command.requestId(), command.at(), command.actor()));
    }

    /**
     * Executes a pending request, unless the client's organisation must still keep the records: inside the retention
     * period (counted from the client's last consent activity; an active consent is activity now) an approval without a
     * legal override is refused — recorded, so the audit shows it — and the request stays pending.
     */
    @CommandHandler
    public ErasureDecision handle(ApproveErasure command, FieldCipher cipher) {
        refuseIfErased();
        PendingErasure request = pending(command.requestId());
        String requester = request.requestedBy();
        if (requester.equals(command.actor().subject())) {
            throw Refusal.forbidden("dual-control", "requestId", "The erasure was requested by " + requester
                    + "; another compliance officer must approve it.");
        }
        boolean active = consents.values().stream().anyMatch(c -> c.activeAt(command.at()));
        Instant from = active ? command.at() : lastActivity;
        Instant keptUntil = from.atOffset(ZoneOffset.UTC).plus(command.retention()).toInstant();
        if (command.legalOverride() == null && command.at().isBefore(keptUntil)) {
            String rule = "retention: " + organisationId + " keeps a client's records " + inWords(command.retention())
                    + " after their last consent activity" + (active ? " (a consent is still active)" : " ("
                    + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC)
                                       .format(lastActivity) + ")");
            apply(new ErasureRefused(clientId, command.requestId(), rule, keptUntil, command.at(), command.actor()));
            return new ErasureDecision(false, rule, keptUntil);
        }
        apply(new ClientErased(clientId, command.requestId(), organisationId, clinicId, request.legalBasis(),
                               command.legalOverride(),
                               cipher.seal(clientId, SealedFields.ERASURE_JUSTIFICATION, command.justification()),
                               new Actor(requester), command.actor(), command.at()));
        return new ErasureDecision(true, null, null);
    }

    /** A retention period as a sentence says it: {@code P7Y} → "7 years". */
    static String inWords(Period period) {
        List<String> parts = new ArrayList<>();
        part(parts, period.getYears(), "year");
        part(parts, period.getMonths(), "month");
        part(parts, period.getDays(), "day");
        return parts.isEmpty() ? "no time" : String.join(" ", parts);
    }

    private static void part(List<String> parts, int amount, String unit) {
        if (amount != 0) {
            parts.add(amount + " " + unit + (amount == 1 ? "" : "s"));
        }
    }

    private PendingErasure pending(UUID requestId) {
        PendingErasure request = pendingErasures.get(requestId.toString());
        if (request != null) {
            return request;
        }
        if (closedErasures.contains(requestId.toString())) {
            throw Refusal.conflict("erasure-request-closed", "requestId", "Erasure request " + requestId
                    + " was withdrawn; request the erasure again.");
        }
        throw Refusal.notFound("erasure-request-not-found", "requestId", "This client has no erasure request "
                + requestId + ".");
    }

    private void refuseIfErased() {
        if (erasedAt != null) {
            throw ClientAccess.erasedWrite(clientId, erasedAt);
        }
    }

    /** An erasure request waiting for its approval: who asked, on what ground. */
    record PendingErasure(String requestedBy, String legalBasis) {
    }

    private ConsentState existing(String consentId) {
        ConsentState consent = consents.get(consentId);
        if (consent == null) {
            throw Refusal.notFound("consent-not-found", "consentId", "This client has no consent " + consentId + ".");
        }
        return consent;
    }

    @EventSourcingHandler
    void on(ClientRegistered event) {
        clientId = event.clientId();
        organisationId = event.organisationId();
        clinicId = event.clinicId();
        personalDetails = event.personalDetails();
        lastActivity = event.registeredAt();
    }

    @EventSourcingHandler
    void on(ClientTransferred event) {
        clinicId = event.toClinicId();
        // a consent carried over is the new clinic's from now on (it can be carried again on the next move)
        event.carriedOver().forEach(id -> consents.computeIfPresent(id.toString(), (key, c) -> new ConsentState(
                event.toClinicId(), c.scopes(), c.grantedAt(), c.expiresAt(), c.ended())));
        activity(event.transferredAt());
    }

    @EventSourcingHandler
    void on(ConsentGranted event) {
        consents.put(event.consentId().toString(), new ConsentState(event.clinicId(), event.scopes(),
                                                                      event.grantedAt(), event.expiresAt(), false));
        activity(event.recordedAt());
    }

    @EventSourcingHandler
    void on(ConsentWithdrawn event) {
        consents.computeIfPresent(event.consentId().toString(), (id, c) -> c.withScopes(event.remainingScopes()));
        activity(event.withdrawnAt());
    }

    @EventSourcingHandler
    void on(ConsentExpired event) {
        consents.computeIfPresent(event.consentId().toString(), (id, c) -> c.asEnded());
        activity(event.expiredAt());
    }

    @EventSourcingHandler
    void on(ErasureRequested event) {
        pendingErasures.put(event.requestId().toString(),
                            new PendingErasure(event.requestedBy().subject(), event.legalBasis()));
    }

    @EventSourcingHandler
    void on(CopyRequested event) {
        openCopies.put(event.requestId().toString(), event.dueBy());
    }

    @EventSourcingHandler
    void on(CopyNotesReferred event) {
        notesReferred.add(event.requestId().toString());
    }

    @EventSourcingHandler
    void on(CopyNotesDecided event) {
        notesDecided.add(event.requestId().toString());
    }

    @EventSourcingHandler
    void on(CopyProduced event) {
        openCopies.remove(event.requestId().toString());
        copies.put(event.requestId().toString(), new ProducedCopy(event.availableUntil(), event.downloadsAllowed()));
    }

    @EventSourcingHandler
    void on(CopyDownloaded event) {
        copies.computeIfPresent(event.requestId().toString(),
                                (id, copy) -> new ProducedCopy(copy.availableUntil(), event.downloadsLeft()));
    }

    @EventSourcingHandler
    void on(ErasureRequestWithdrawn event) {
        pendingErasures.remove(event.requestId().toString());
        closedErasures.add(event.requestId().toString());
    }

    @EventSourcingHandler
    void on(ClientErased event) {
        pendingErasures.clear();
        openCopies.clear();
        copies.clear();
        erasedAt = event.erasedAt();
        personalDetails = null;
    }

    private void activity(Instant at) {
        if (at != null && (lastActivity == null || at.isAfter(lastActivity))) {
            lastActivity = at;
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
