package org.stillpoint.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.stillpoint.contracts.PublishedTypes;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.contracts.referral.ReferralReviewed;
import org.stillpoint.contracts.referral.ReferralStatusChanged;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionRecorded;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a client's audit record says: the accounting of disclosures, the access log, and the state of their consents,
 * sessions and referrals as the suite knew them at a moment (events recorded up to then). Each entry is read back into
 * its contract type and dispatched on it; what it answers are typed views.
 */
public final class ClientHistory {

    /** The kind of recipient an integrator's webhook is: an event delivered to it is a disclosure of the record. */
    public static final String INTEGRATOR = "INTEGRATOR";

    /** How far back the accounting of disclosures reaches (HIPAA 45 CFR 164.528: six years). */
    public static final long LOOK_BACK_YEARS = 6;

    /** To whom a disclosure went. */
    public record RecipientView(String kind, String name, String organisation) {
    }

    /**
     * One disclosure: a referral, with its current status; or an event delivered to the organisation's integrator by
     * webhook (recipient kind {@code INTEGRATOR}, the subscription's name and the endpoint's host; {@code shared} the
     * event's type; no referral; status {@code DELIVERED}).
     *
     * @param emergency      issued as an emergency without the client's information-sharing consent
     * @param reviewRequired flagged for a compliance officer's review (exactly the emergencies without consent)
     * @param review         the review once recorded; absent while it awaits review, and on a referral not flagged
     */
    public record DisclosureView(String eventId, String referralId, Instant date, RecipientView recipient,
                                 List<String> shared, String purpose, boolean emergency, boolean reviewRequired,
                                 ReviewView review, String status, String disclosedBy, String clinicId) {
    }

    /** A compliance officer's review of an emergency disclosure: {@code APPROPRIATE} or {@code NOT_APPROPRIATE}. */
    public record ReviewView(String outcome, Instant at, String by) {
    }

    /** Every disclosure to one recipient: how many, the first and last, and everything they were given. */
    public record RecipientSummaryView(String recipient, int count, Instant first, Instant last, List<String> shared) {
    }

    /** The accounting of disclosures: newest first, and a summary per recipient (by name and organisation). */
    public record DisclosuresView(String clientId, Instant since, List<DisclosureView> disclosures,
                                  List<RecipientSummaryView> byRecipient) {
    }

    public record ConsentView(String consentId, String clinicId, String status, int version, List<String> grantedScopes,
                              List<String> activeScopes, Instant grantedAt, Instant expiresAt) {
    }

    /** A version of a session's note: when, by whom, and the note as recorded (its fields sealed). */
    public record NoteVersionView(String kind, Instant at, String by, Object note) {
    }

    /** An amendment's text and reason, sealed. */
    public record AmendmentView(Sealed text, Sealed reason) {
    }

    /** @param lateEntry recorded after the time allowed for an entry about the moment it happened (its reason sealed) */
    public record SessionView(String sessionId, String clinicId, String practitioner, Instant startedAt,
                              List<String> modalities, List<String> consents, String status, Instant signedAt,
                              List<NoteVersionView> noteVersions, boolean lateEntry) {
    }

    public record ReferralView(String referralId, RecipientView recipient, String urgency, List<String> shared,
                               boolean emergencyOverride, String status, Instant issuedAt) {
    }

    /**
     * Consents, sessions and referrals as recorded up to {@code asOf}, about the moment {@code about}: what had
     * happened by {@code about}, as far as it had been recorded by {@code asOf}.
     */
    public record StateView(String clientId, Instant asOf, Instant about, List<ConsentView> consents,
                            List<SessionView> sessions, List<ReferralView> referrals) {
    }

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
    public DisclosuresView disclosures(Instant now) {
        Instant since = now.atZone(ZoneOffset.UTC).minusYears(LOOK_BACK_YEARS).toInstant();
        Map<String, String> status = new LinkedHashMap<>();
        Map<String, ReviewView> reviews = new LinkedHashMap<>();
        for (AuditEntry e : entries) {
            switch (event(e)) {
                case ReferralStatusChanged changed -> status.put(e.subject(), changed.to().name());
                case ReferralReviewed reviewed -> reviews.put(e.subject(), new ReviewView(
                        reviewed.outcome().name(), reviewed.reviewedAt(), reviewed.reviewedBy().subject()));
                case null, default -> {
                    // no other event changes a disclosure
                }
            }
        }
        List<DisclosureView> disclosures = new ArrayList<>();
        Map<String, List<DisclosureView>> byRecipient = new LinkedHashMap<>();
        for (AuditEntry e : entries) {
            Optional<DisclosureView> disclosure = switch (event(e)) {
                case ReferralIssued r -> Optional.of(disclosure(e, recipient(r.recipient()), r.sharedCategories(), r.urgency().name(),
                                                                r.originatingSession(), r.emergencyOverride(),
                                                                r.reviewRequired(), status, reviews));
                case ReferralIssuedRevision1 r -> Optional.of(disclosure(e, recipient(r.recipient()), r.sharedCategories(),
                                                                         r.urgency().name(), r.originatingSession(),
                                                                         r.emergencyOverride(), r.reviewRequired(),
                                                                         status, reviews));
                case EventDelivered d -> Optional.of(new DisclosureView(
                        e.eventId(), null, d.at(), new RecipientView(INTEGRATOR, d.subscription(), d.endpointHost()),
                        List.of(d.eventType()), "delivered to the organisation's integrator by webhook", false, false,
                        null, "DELIVERED", e.actor(), null));
                case null, default -> Optional.empty();
            };
            disclosure.filter(d -> !d.date().isBefore(since)).ifPresent(d -> {
                disclosures.add(d);
                byRecipient.computeIfAbsent(d.recipient().name() + (d.recipient().organisation() == null ? ""
                        : ", " + d.recipient().organisation()), k -> new ArrayList<>()).add(d);
            });
        }
        disclosures.sort(Comparator.comparing(DisclosureView::date).reversed());
        List<RecipientSummaryView> summaries = new ArrayList<>();
        byRecipient.forEach((recipient, each) -> {
            TreeSet<String> shared = new TreeSet<>();
            each.forEach(d -> shared.addAll(d.shared()));
            summaries.add(new RecipientSummaryView(recipient, each.size(), each.getFirst().date(),
                                                  each.getLast().date(), List.copyOf(shared)));
        });
        return new DisclosuresView(client.clientId(), since.truncatedTo(ChronoUnit.DAYS), disclosures, summaries);
    }

    private static DisclosureView disclosure(AuditEntry e, RecipientView recipient, Set<?> shared, String urgency,
                                             SessionId originatingSession, boolean emergency, boolean reviewRequired,
                                             Map<String, String> status, Map<String, ReviewView> reviews) {
        return new DisclosureView(e.eventId(), e.subject(), e.occurredAt(), recipient, names(shared),
                                  urgency.toLowerCase(Locale.ROOT) + " referral" + (originatingSession == null ? ""
                                          : " following session " + originatingSession), emergency, reviewRequired,
                                  reviews.get(e.subject()), status.getOrDefault(e.subject(), "ISSUED"), e.actor(),
                                  e.clinicId());
    }

    /** Consents, sessions (with every note version) and referrals as recorded up to {@code asOf}. */
    public StateView asOf(Instant asOf) {
        return asOf(asOf, asOf);
    }

    /**
     * The state on both axes: as recorded by {@code asOf}, about the moment {@code about} — the entries recorded by
     * {@code asOf} of what happened by {@code about} (a consent's grant and withdrawal at their own moments, a session at
     * its start, a referral when it was issued), with the consents' expiry at {@code about}. {@code about} after
     * {@code asOf} is what was planned then; the usual question is an earlier moment as known later ("which consents
     * covered the 3rd, as recorded by the 10th" takes in the late entries of the 4th–10th).
     */
    public StateView asOf(Instant asOf, Instant about) {
        Map<String, ConsentView> consents = new LinkedHashMap<>();
        Map<String, SessionView> sessions = new LinkedHashMap<>();
        Map<String, ReferralView> referrals = new LinkedHashMap<>();
        boolean bothAxes = !about.equals(asOf);
        for (AuditEntry e : timeline(asOf)) {
            if (bothAxes && e.occurredAt() != null && e.occurredAt().isAfter(about)) {
                continue;
            }
            String id = e.subject();
            switch (event(e)) {
                case ConsentGranted g -> consents.put(id, new ConsentView(id, g.clinicId().toString(), "ACTIVE", 1,
                                                                          names(g.scopes()), names(g.scopes()),
                                                                          g.grantedAt(), g.expiresAt()));
                case ConsentWithdrawn w -> consents.computeIfPresent(id, (k, c) -> new ConsentView(
                        id, c.clinicId(), w.remainingScopes().isEmpty() ? "WITHDRAWN" : "ACTIVE", c.version() + 1,
                        c.grantedScopes(), names(w.remainingScopes()), c.grantedAt(), c.expiresAt()));
                case ConsentExpired x -> consents.computeIfPresent(id, (k, c) -> expired(c));
                case SessionRecorded s -> sessions.put(id, new SessionView(
                        id, s.clinicId().toString(), s.practitioner().subject(), s.startedAt(), names(s.modalities()),
                        e.consents(), "DRAFT", null, List.of(new NoteVersionView("recorded", e.recordedAt(), e.actor(),
                                                                                 s.notes())), s.lateEntry()));
                case SessionNoteRevised r -> note(sessions, id, new NoteVersionView("revised", e.occurredAt(),
                                                                                   e.actor(), r.notes()));
                case SessionNoteAmended a -> note(sessions, id, new NoteVersionView(
                        "amendment " + a.number() + " (" + a.section() + ")", e.occurredAt(), e.actor(),
                        new AmendmentView(a.text(), a.reason())));
                case SessionNoteSigned signed -> sessions.computeIfPresent(id, (k, s) -> new SessionView(
                        id, s.clinicId(), s.practitioner(), s.startedAt(), s.modalities(), s.consents(), "SIGNED",
                        signed.signedAt(), s.noteVersions(), s.lateEntry()));
                case ReferralIssued r -> referrals.put(id, referral(id, recipient(r.recipient()), r.urgency().name(),
                                                                    r.sharedCategories(), r.emergencyOverride(),
                                                                    r.issuedAt()));
                case ReferralIssuedRevision1 r -> referrals.put(id, referral(id, recipient(r.recipient()), r.urgency().name(),
                                                                             r.sharedCategories(), r.emergencyOverride(),
                                                                             r.issuedAt()));
                case ReferralStatusChanged changed -> referrals.computeIfPresent(id, (k, r) -> new ReferralView(
                        id, r.recipient(), r.urgency(), r.shared(), r.emergencyOverride(), changed.to().name(),
                        r.issuedAt()));
                case null, default -> {
                    // registrations, erasure requests and accesses change none of the three
                }
            }
        }
        List<ConsentView> consentsThen = consents.values().stream()
                .map(c -> "ACTIVE".equals(c.status()) && c.expiresAt() != null && !c.expiresAt().isAfter(about)
                        ? expired(c) : c).toList();
        return new StateView(client.clientId(), asOf, about, consentsThen, List.copyOf(sessions.values()),
                             List.copyOf(referrals.values()));
    }

    private static ConsentView expired(ConsentView c) {
        return new ConsentView(c.consentId(), c.clinicId(), "EXPIRED", c.version(), c.grantedScopes(), List.of(),
                               c.grantedAt(), c.expiresAt());
    }

    private static void note(Map<String, SessionView> sessions, String id, NoteVersionView version) {
        sessions.computeIfPresent(id, (k, s) -> {
            List<NoteVersionView> versions = new ArrayList<>(s.noteVersions());
            versions.add(version);
            return new SessionView(id, s.clinicId(), s.practitioner(), s.startedAt(), s.modalities(), s.consents(),
                                   s.status(), s.signedAt(), List.copyOf(versions), s.lateEntry());
        });
    }

    private static ReferralView referral(String id, RecipientView recipient, String urgency, Set<?> shared,
                                         boolean emergency, Instant issuedAt) {
        return new ReferralView(id, recipient, urgency, names(shared), emergency, "ISSUED", issuedAt);
    }

    private static RecipientView recipient(Recipient recipient) {
        return new RecipientView(recipient.kind().name(), recipient.name(), blankToNull(recipient.organisation()));
    }

    private static RecipientView recipient(ReferralIssuedRevision1.Recipient recipient) {
        return new RecipientView(recipient.kind().name(), recipient.name(), blankToNull(recipient.organisation()));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static List<String> names(Collection<?> values) {
        return values == null ? List.of() : values.stream().map(String::valueOf).sorted().toList();
    }

    /** Each session and referral beside the consents it relied on, as they stood then ({@link ConsentAtActs}). */
    public List<ConsentAtActs.Act> consentAtActs() {
        return ConsentAtActs.of(entries, this::event);
    }

    private Object event(AuditEntry e) {
        return event(json, e);
    }

    /**
     * The entry's event as its contract type; null for a type this version does not know, and for an access, which
     * changes nothing these views show (and is most of a busy client's entries: they are not read back) — except a
     * delivery to the organisation's integrator, which is a disclosure.
     */
    public static Object event(ObjectMapper json, AuditEntry e) {
        Optional<Class<?>> type = PublishedTypes.of(e.type());
        if (type.isEmpty() || (e.kind().equals("access") && type.get() != EventDelivered.class)) {
            return null;
        }
        try {
            return json.readValue(e.payload(), type.get());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored event " + e.eventId() + " is not a " + e.type(), ex);
        }
    }
}
