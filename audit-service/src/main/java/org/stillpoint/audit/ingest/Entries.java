package org.stillpoint.audit.ingest;

import org.stillpoint.audit.query.AccessWords;
import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.audit.query.ErasureNotices;
import org.stillpoint.audit.query.Plain;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.contracts.access.ErasureNoticeRecorded;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.CopyChannel;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyNotesDecided;
import org.stillpoint.contracts.consent.CopyNotesReferred;
import org.stillpoint.contracts.consent.CopyFormat;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;
import org.stillpoint.contracts.consent.ErasureRefused;
import org.stillpoint.contracts.consent.ErasureRequestWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.contracts.referral.ReferralReviewed;
import org.stillpoint.contracts.referral.ReferralStatusChanged;
import org.stillpoint.contracts.referral.ReviewOutcome;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionRecorded;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads a published event, as its contract type, into a timeline entry: its times, actor, clinic, consents and a
 * summary without free text.
 */
final class Entries {

    private Entries() {
    }

    /** What an entry says of its event, before the parts every entry has. */
    private record Said(Instant occurredAt, Actor actor, Object clinicId, Object subject, List<String> consents,
                        String summary, String outcome) {

        Said(Instant occurredAt, Actor actor, Object clinicId, Object subject, String summary) {
            this(occurredAt, actor, clinicId, subject, List.of(), summary, null);
        }
    }

    static AuditEntry of(String eventId, String clientId, String type, String source, Instant recordedAt, Object event,
                         String payload) {
        String kind = type.split("\\.")[1];
        String service = source == null ? null : source.substring(source.lastIndexOf('/') + 1);
        Said said = switch (event) {
            case ClientRegistered r -> new Said(r.registeredAt(), r.registeredBy(), r.clinicId(), r.clientId(),
                                                "client registered at " + r.clinicId());
            case ClientTransferred t -> new Said(t.transferredAt(), t.recordedBy(), t.toClinicId(), t.clientId(),
                    t.carriedOver().stream().map(Object::toString).toList(),
                    "client moved from " + t.fromClinicId() + " to " + t.toClinicId() + " (reason sealed); "
                            + (t.carriedOver().isEmpty() ? "no consent carried over: the new clinic asks again"
                            : t.carriedOver().size() + (t.carriedOver().size() == 1 ? " consent" : " consents")
                            + " carried over, the others stay " + t.fromClinicId() + "'s"), null);
            case ConsentGranted g -> new Said(g.grantedAt(), g.recordedBy(), g.clinicId(), g.consentId(),
                    "consent granted for " + words(g.scopes()) + " (form " + g.form().formId() + " version "
                            + g.form().version() + ", " + word(g.method()) + ")"
                            + (g.expiresAt() != null ? ", until " + moment(g.expiresAt()) : "")
                            + (g.lateEntry() ? " — late entry, recorded " + moment(g.recordedAt()) : ""));
            case ConsentWithdrawn w -> new Said(w.withdrawnAt(), w.recordedBy(), null, w.consentId(),
                    "consent withdrawn for " + words(w.withdrawnScopes()) + (w.remainingScopes().isEmpty()
                            ? "; nothing remains" : "; still given for " + words(w.remainingScopes())));
            case ConsentExpired x -> new Said(x.expiredAt(), Actor.EXPIRY_SCHEDULER, null, x.consentId(),
                                              "consent expired for " + words(x.scopes()));
            case ErasureRequested r -> new Said(r.requestedAt(), r.requestedBy(), r.clinicId(), r.requestId(),
                                                List.of(), "erasure requested (" + r.legalBasis() + ")", "PENDING");
            case ErasureRequestWithdrawn w -> new Said(w.withdrawnAt(), w.withdrawnBy(), null, w.requestId(),
                                                       List.of(), "erasure request withdrawn", "WITHDRAWN");
            case ErasureRefused r -> new Said(r.refusedAt(), r.refusedBy(), null, r.requestId(), List.of(),
                    "erasure approval refused: " + r.rule() + ", kept until " + moment(r.keptUntil()), "REFUSED");
            case ClientErased e -> new Said(e.erasedAt(), e.approvedBy(), e.clinicId(), e.requestId(), List.of(),
                    "client erased (" + e.legalBasis() + "; requested by " + who(e.requestedBy()) + ", approved by "
                            + who(e.approvedBy()) + (e.legalOverride() != null ? "; retention overridden: "
                            + e.legalOverride() : "") + ")", "ERASED");
            case CopyRequested c -> new Said(c.receivedAt(), c.recordedBy(), c.clinicId(), c.requestId(), List.of(),
                    "the client asked for a copy of their record (" + (c.channel() == CopyChannel.CLIENT_VIEW
                            ? "in their view" : "on paper, recorded by " + who(c.recordedBy())) + "), due by "
                            + moment(c.dueBy()), "REQUESTED");
            case CopyNotesReferred r -> new Said(r.referredAt(), Actor.COPY_PRODUCER, r.clinicId(), r.requestId(),
                    List.of(), "the organisation does not show session notes to clients: a clinic administrator "
                            + "decides whether the copy holds them", "AWAITING_NOTES_DECISION");
            case CopyNotesDecided d -> new Said(d.decidedAt(), d.decidedBy(), d.clinicId(), d.requestId(), List.of(),
                    d.released() ? "the session notes were released for the client's copy"
                            : "the session notes are not part of the client's copy (reason sealed)", "REQUESTED");
            case CopyProduced c -> new Said(c.producedAt(), Actor.COPY_PRODUCER, c.clinicId(), c.requestId(), List.of(),
                    "the client's copy of their record was produced (" + c.resources() + " entries; session notes "
                            + word(c.notes()) + "), downloadable " + c.downloadsAllowed() + " times until "
                            + moment(c.availableUntil()), "PRODUCED");
            case CopyDownloaded d -> new Said(d.downloadedAt(), d.downloadedBy(), d.clinicId(), d.requestId(),
                    List.of(), "the client downloaded their copy " + (d.format() == CopyFormat.FHIR_BUNDLE
                            ? "as a FHIR bundle" : "as a document") + " (" + d.downloadsLeft() + " downloads left)",
                    null);
            case SessionRecorded s -> new Said(s.startedAt(), s.recordedBy(), s.clinicId(), s.sessionId(),
                    consents(s.consents()), "session recorded: " + words(s.modalities()) + ", " + s.durationMinutes()
                            + " minutes with " + who(s.practitioner())
                            + (s.lateEntry() ? " — late entry, recorded " + moment(s.recordedAt()) : ""), null);
            case SessionNoteRevised r -> new Said(r.revisedAt(), r.revisedBy(), null, r.sessionId(),
                                                  "draft note revised");
            case SessionNoteSigned s -> new Said(s.signedAt(), s.signedBy(), null, s.sessionId(),
                                                 "note signed and locked" + (s.onBehalfOf() == null ? ""
                                                         : ", on behalf of its author " + s.onBehalfOf()));
            case SessionNoteAmended a -> new Said(a.amendedAt(), a.amendedBy(), null, a.sessionId(),
                                                  "note amended (amendment " + a.number() + ", " + word(a.section()) + ")");
            case ReferralIssued r -> new Said(r.issuedAt(), r.issuedBy(), r.clinicId(), r.referralId(),
                    consents(r.consents()), issued(r.recipient().name(), r.recipient().kind(), r.urgency(),
                                                   r.sharedCategories(), r.emergencyOverride()), null);
            case ReferralIssuedRevision1 r -> new Said(r.issuedAt(), r.issuedBy(), r.clinicId(), r.referralId(),
                    consents(r.consents()), issued(r.recipient().name(), r.recipient().kind(), r.urgency(),
                                                   r.sharedCategories(), r.emergencyOverride()), null);
            case ReferralStatusChanged c -> new Said(c.changedAt(), c.changedBy(), null, c.referralId(),
                                                     "referral moved from " + word(c.from()) + " to " + word(c.to()));
            case ReferralReviewed r -> new Said(r.reviewedAt(), r.reviewedBy(), null, r.referralId(), List.of(),
                    "emergency referral reviewed by a compliance officer: " + (r.outcome() == ReviewOutcome.APPROPRIATE
                            ? "appropriate" : "not appropriate") + (r.notes() != null ? " (notes sealed)" : ""),
                    r.outcome().name());
            case ClientAccessed a -> new Said(a.at(), a.actor(), accessClinic(a), null, List.of(), accessed(a),
                                              a.outcome() == null ? null : a.outcome().name());
            case DeadLetterHandled d when "REFUSED".equals(d.action()) -> new Said(d.at(), d.operator(), null,
                    d.deadLetterId(), List.of(), "security: a " + d.recordType() + " record naming this client was "
                            + "refused by " + d.group() + " (" + d.parkedFor() + "): not its producer's, it changed "
                            + "nothing and holds nothing", d.outcome());
            case DeadLetterHandled d -> new Said(d.at(), d.operator(), null, d.deadLetterId(), List.of(),
                    "operator " + d.action().toLowerCase() + " a parked " + d.recordType() + " record ("
                            + d.parkedFor() + ") of " + d.group() + (d.reason() != null ? ": " + d.reason() : ""),
                    d.outcome());
            case ErasureNoticeRecorded n -> new Said(n.recordedAt(), n.recordedBy(), null, n.noticeId(), List.of(),
                    "after the erasure, " + n.recipientName() + (n.recipientOrganisation() == null ? ""
                            : " (" + n.recipientOrganisation() + ")") + ": " + ErasureNotices.words(n.outcome().name()),
                    n.outcome().name());
            case EventDelivered d -> new Said(d.at(), new Actor("webhook/" + d.subscription()), null, d.eventId(),
                    List.of(), (d.redelivery() ? "delivered again: " : "delivered: ") + Plain.eventType(d.eventType())
                            + ", to the integrator's webhook " + d.subscription() + " at " + d.endpointHost()
                            + (d.attempts() > 1 ? ", taken at attempt " + d.attempts() : ""),
                    "ALLOWED");
            case null, default -> new Said(recordedAt, null, null, null, type);
        };
        return new AuditEntry(eventId, clientId, type, kind, service,
                              said.occurredAt() == null ? recordedAt : said.occurredAt(), recordedAt,
                              said.actor() == null ? null : said.actor().subject(),
                              said.clinicId() == null ? null : said.clinicId().toString(),
                              said.subject() == null ? null : said.subject().toString(), said.consents(),
                              said.summary(), said.outcome(), payload);
    }

    /**
     * Where an access came from, as far as this organisation can vouch for it: the client's clinic when the caller
     * worked there, else the clinics their token named; none for a caller of another organisation, whose clinics are
     * that organisation's and mean nothing here.
     */
    private static String accessClinic(ClientAccessed a) {
        if (a.actorOrganisationId() != null && !a.actorOrganisationId().equals(a.organisationId())) {
            return null;
        }
        if (a.clinicId() != null && a.actorClinics().contains(a.clinicId())) {
            return a.clinicId().toString();
        }
        return a.actorClinics().isEmpty() ? null
                : a.actorClinics().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    /** The access in words, saying when the caller was of another organisation. */
    private static String accessed(ClientAccessed a) {
        String sentence = WORDS.sentence(a.action() == null ? null : a.action().name(), a.resource(),
                                         a.outcome() == null ? null : a.outcome().name(), a.reason());
        return AccessWords.fromElsewhere(sentence, a.actorOrganisationId() == null ? null
                : a.actorOrganisationId().toString(), a.organisationId() == null ? null : a.organisationId().toString());
    }

    private static final AccessWords WORDS = new AccessWords(ZoneOffset.UTC, Map.of());

    private static String issued(String name, Object kind, Object urgency, Collection<?> shared, boolean emergency) {
        return word(urgency) + " referral issued to " + name + " (" + word(kind) + "), sharing " + words(shared)
                + (emergency ? "; emergency without the client's consent: flagged for a compliance officer's review" : "");
    }

    private static List<String> consents(List<ConsentReliance> consents) {
        return consents == null ? List.of() : consents.stream()
                .map(c -> c.consentId() + " v" + c.version() + ": " + list(c.scopes())).toList();
    }

    /** A moment inside a sentence: to the second, in UTC, said so. */
    private static String moment(Instant time) {
        return time == null ? null : Plain.moment(time, Plain.UTC);
    }

    private static String word(Object value) {
        return Plain.code(value);
    }

    private static String words(Collection<?> values) {
        return values == null || values.isEmpty() ? "nothing" : values.stream().filter(Objects::nonNull)
                .map(Plain::code).sorted().collect(Collectors.joining(", "));
    }

    private static String who(Actor actor) {
        return actor == null ? null : actor.subject();
    }

    private static String list(Collection<?> values) {
        return values == null ? "[]" : values.stream().filter(Objects::nonNull).map(String::valueOf).sorted()
                                             .collect(Collectors.joining(", ", "[", "]"));
    }
}
