package org.stillpoint.audit.ingest;

import org.stillpoint.audit.query.AuditEntry;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
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
import java.util.Collection;
import java.util.List;
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
            case ConsentGranted g -> new Said(g.grantedAt(), g.recordedBy(), g.clinicId(), g.consentId(),
                    "consent granted for " + list(g.scopes()) + " (" + g.form().formId() + " " + g.form().version()
                            + ", " + g.method() + ")" + (g.expiresAt() != null ? ", until " + g.expiresAt() : "")
                            + (g.lateEntry() ? " (late entry, recorded " + g.recordedAt() + ")" : ""));
            case ConsentWithdrawn w -> new Said(w.withdrawnAt(), w.recordedBy(), null, w.consentId(),
                    "consent withdrawn for " + list(w.withdrawnScopes()) + "; remaining " + list(w.remainingScopes()));
            case ConsentExpired x -> new Said(x.expiredAt(), Actor.EXPIRY_SCHEDULER, null, x.consentId(),
                                              "consent expired for " + list(x.scopes()));
            case ErasureRequested r -> new Said(r.requestedAt(), r.requestedBy(), r.clinicId(), r.requestId(),
                                                List.of(), "erasure requested (" + r.legalBasis() + ")", "PENDING");
            case ErasureRequestWithdrawn w -> new Said(w.withdrawnAt(), w.withdrawnBy(), null, w.requestId(),
                                                       List.of(), "erasure request withdrawn", "WITHDRAWN");
            case ErasureRefused r -> new Said(r.refusedAt(), r.refusedBy(), null, r.requestId(), List.of(),
                    "erasure approval refused: " + r.rule() + ", kept until " + r.keptUntil(), "REFUSED");
            case ClientErased e -> new Said(e.erasedAt(), e.approvedBy(), e.clinicId(), e.requestId(), List.of(),
                    "client erased (" + e.legalBasis() + "; requested by " + who(e.requestedBy()) + ", approved by "
                            + who(e.approvedBy()) + (e.legalOverride() != null ? "; retention overridden: "
                            + e.legalOverride() : "") + ")", "ERASED");
            case SessionRecorded s -> new Said(s.startedAt(), s.recordedBy(), s.clinicId(), s.sessionId(),
                    consents(s.consents()), "session recorded: " + list(s.modalities()) + ", " + s.durationMinutes()
                            + " min by " + who(s.practitioner())
                            + (s.lateEntry() ? " (late entry, recorded " + s.recordedAt() + ")" : ""), null);
            case SessionNoteRevised r -> new Said(r.revisedAt(), r.revisedBy(), null, r.sessionId(),
                                                  "draft note revised");
            case SessionNoteSigned s -> new Said(s.signedAt(), s.signedBy(), null, s.sessionId(),
                                                 "note signed and locked" + (s.onBehalfOf() == null ? ""
                                                         : ", on behalf of its author " + s.onBehalfOf()));
            case SessionNoteAmended a -> new Said(a.amendedAt(), a.amendedBy(), null, a.sessionId(),
                                                  "note amended (#" + a.number() + ", " + a.section() + ")");
            case ReferralIssued r -> new Said(r.issuedAt(), r.issuedBy(), r.clinicId(), r.referralId(),
                    consents(r.consents()), issued(r.recipient().name(), r.recipient().kind(), r.urgency(),
                                                   r.sharedCategories(), r.emergencyOverride()), null);
            case ReferralIssuedRevision1 r -> new Said(r.issuedAt(), r.issuedBy(), r.clinicId(), r.referralId(),
                    consents(r.consents()), issued(r.recipient().name(), r.recipient().kind(), r.urgency(),
                                                   r.sharedCategories(), r.emergencyOverride()), null);
            case ReferralStatusChanged c -> new Said(c.changedAt(), c.changedBy(), null, c.referralId(),
                                                     "referral " + c.from() + " → " + c.to());
            case ReferralReviewed r -> new Said(r.reviewedAt(), r.reviewedBy(), null, r.referralId(), List.of(),
                    "emergency referral reviewed by a compliance officer: " + (r.outcome() == ReviewOutcome.APPROPRIATE
                            ? "appropriate" : "not appropriate") + (r.notes() != null ? " (notes sealed)" : ""),
                    r.outcome().name());
            case ClientAccessed a -> new Said(a.at(), a.actor(), a.actorClinics() == null ? ""
                    : a.actorClinics().stream().map(String::valueOf).sorted().collect(Collectors.joining(",")), null,
                    List.of(), a.action() + " " + a.resource() + (a.reason() != null ? " — denied: " + a.reason() : ""),
                    a.outcome() == null ? null : a.outcome().name());
            case DeadLetterHandled d when "REFUSED".equals(d.action()) -> new Said(d.at(), d.operator(), null,
                    d.deadLetterId(), List.of(), "security: a " + d.recordType() + " record naming this client was "
                            + "refused by " + d.group() + " (" + d.parkedFor() + "): not its producer's, it changed "
                            + "nothing and holds nothing", d.outcome());
            case DeadLetterHandled d -> new Said(d.at(), d.operator(), null, d.deadLetterId(), List.of(),
                    "operator " + d.action().toLowerCase() + " a parked " + d.recordType() + " record ("
                            + d.parkedFor() + ") of " + d.group() + (d.reason() != null ? ": " + d.reason() : ""),
                    d.outcome());
            case null, default -> new Said(recordedAt, null, null, null, type);
        };
        return new AuditEntry(eventId, clientId, type, kind, service,
                              said.occurredAt() == null ? recordedAt : said.occurredAt(), recordedAt,
                              said.actor() == null ? null : said.actor().subject(),
                              said.clinicId() == null ? null : said.clinicId().toString(),
                              said.subject() == null ? null : said.subject().toString(), said.consents(),
                              said.summary(), said.outcome(), payload);
    }

    private static String issued(String name, Object kind, Object urgency, Collection<?> shared, boolean emergency) {
        return "referral issued to " + name + " (" + kind + "), " + urgency + ", sharing " + list(shared)
                + (emergency ? ", emergency override" : "");
    }

    private static List<String> consents(List<ConsentReliance> consents) {
        return consents == null ? List.of() : consents.stream()
                .map(c -> c.consentId() + " v" + c.version() + ": " + list(c.scopes())).toList();
    }

    private static String who(Actor actor) {
        return actor == null ? null : actor.subject();
    }

    private static String list(Collection<?> values) {
        return values == null ? "[]" : values.stream().filter(Objects::nonNull).map(String::valueOf).sorted()
                                             .collect(Collectors.joining(", ", "[", "]"));
    }
}
