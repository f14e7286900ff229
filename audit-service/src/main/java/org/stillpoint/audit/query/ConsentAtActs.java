package org.stillpoint.audit.query;

import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.contracts.session.SessionRecorded;
import org.stillpoint.platform.consent.ConsentPeriod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which consent each act relied on, as it stood then. For every session and referral of a client: the consents it
 * names, each with what the consent was — its version and scopes at the act's moment, its form, method and grantor —
 * and two verdicts. <em>At the act:</em> did the consent, as everything recorded now says, cover every scope the act
 * relied on at the moment the act happened? <em>When recorded:</em> did it, as far as had been recorded when the act was
 * recorded, cover them at that moment? They differ for a late entry recorded after a withdrawal, an expiry or a
 * superseding change about a time before it — lawful, and what a reviewer wants to see — and for a withdrawal entered
 * late about a time before an act already recorded.
 */
public final class ConsentAtActs {

    /**
     * One consent an act relied on.
     *
     * @param version             the version the deciding service relied on
     * @param versionAtTheAct     the consent's version at the act's moment, as recorded now
     * @param scopesAtTheAct      its scopes then, as recorded now
     * @param boundariesRecorded  whether the consent carries boundaries (sealed: consent-service opens them for whom
     *                            it allows)
     * @param inForceAtTheAct     whether it covered every scope relied on at the act's moment, as recorded now
     * @param inForceWhenRecorded whether it covered them when the act was recorded, as recorded by then
     */
    public record Reliance(String consentId, int version, List<String> scopes, Integer versionAtTheAct,
                           List<String> scopesAtTheAct, String formId, String formVersion, String textSha256,
                           String method, String grantor, boolean boundariesRecorded, boolean inForceAtTheAct,
                           boolean inForceWhenRecorded) {
    }

    /**
     * One act: a session or a referral.
     *
     * @param occurredAt when it happened (the session's start, the referral's issue)
     * @param recordedAt when it was recorded
     */
    public record Act(String eventId, String kind, String subject, String clientId, String clinicId, String actor,
                      Instant occurredAt, Instant recordedAt, boolean lateEntry, boolean emergencyOverride,
                      List<Reliance> consents, boolean inForceAtTheAct, boolean inForceWhenRecorded) {

        /** The two verdicts differ: for the review list. */
        public boolean differ() {
            return inForceAtTheAct != inForceWhenRecorded;
        }
    }

    private ConsentAtActs() {
    }

    /** The acts among {@code entries} (a client's, in timeline order), each beside the consents it relied on. */
    public static List<Act> of(List<AuditEntry> entries, Function<AuditEntry, Object> events) {
        List<Known> consents = new ArrayList<>();
        List<Act> acts = new ArrayList<>();
        List<Recorded> recorded = new ArrayList<>();
        for (AuditEntry entry : entries) {
            if (!Set.of("consent", "session", "referral").contains(entry.kind())) {
                continue;
            }
            Object event = events.apply(entry);
            switch (event) {
                case ConsentGranted g -> consents.add(new Known(entry.recordedAt(), g));
                case ConsentWithdrawn w -> consents.add(new Known(entry.recordedAt(), w));
                case ConsentExpired x -> consents.add(new Known(entry.recordedAt(), x));
                case ClientTransferred t -> consents.add(new Known(entry.recordedAt(), t));
                case SessionRecorded s -> recorded.add(new Recorded(entry, "session", s.sessionId().toString(),
                        s.clinicId().toString(), s.startedAt(), s.lateEntry(), false, s.consents()));
                case ReferralIssued r -> recorded.add(new Recorded(entry, "referral", r.referralId().toString(),
                        r.clinicId().toString(), r.issuedAt(), false, r.emergencyOverride(), r.consents()));
                case ReferralIssuedRevision1 r -> recorded.add(new Recorded(entry, "referral",
                        r.referralId().toString(), r.clinicId().toString(), r.issuedAt(), false,
                        r.emergencyOverride(), r.consents()));
                case null, default -> {
                }
            }
        }
        Map<String, ConsentPeriod> now = periods(consents, known -> true);
        Map<String, ConsentGranted> grants = new LinkedHashMap<>();
        consents.forEach(k -> {
            if (k.event() instanceof ConsentGranted g) {
                grants.put(g.consentId().toString(), g);
            }
        });
        for (Recorded act : recorded) {
            AuditEntry entry = act.entry();
            String clinicId = act.clinicId();
            Instant occurredAt = act.occurredAt();
            Map<String, ConsentPeriod> then = periods(consents, k -> !k.recordedAt().isAfter(entry.recordedAt()));
            List<Reliance> relied = new ArrayList<>();
            for (ConsentReliance reliance : act.consents()) {
                String id = reliance.consentId().toString();
                ConsentPeriod atTheAct = now.get(id);
                ConsentGranted grant = grants.get(id);
                relied.add(new Reliance(
                        id, reliance.version(), names(reliance.scopes()),
                        atTheAct == null ? null : atTheAct.versionAt(occurredAt),
                        atTheAct == null ? List.of() : names(activeScopes(atTheAct, occurredAt)),
                        grant == null || grant.form() == null ? null : grant.form().formId(),
                        grant == null || grant.form() == null ? null : grant.form().version(),
                        grant == null || grant.form() == null ? null : grant.form().textSha256(),
                        grant == null || grant.method() == null ? null : grant.method().name(),
                        grant == null || grant.grantor() == null || grant.grantor().kind() == null ? null
                                : grant.grantor().kind().name(),
                        grant != null && grant.boundaries() != null,
                        covers(atTheAct, reliance.scopes(), clinicId, occurredAt),
                        covers(then.get(id), reliance.scopes(), clinicId, entry.recordedAt())));
            }
            boolean atAct = !relied.isEmpty() && relied.stream().allMatch(Reliance::inForceAtTheAct);
            boolean whenRecorded = !relied.isEmpty() && relied.stream().allMatch(Reliance::inForceWhenRecorded);
            acts.add(new Act(entry.eventId(), act.kind(), act.subject(), entry.clientId(), clinicId, entry.actor(),
                             occurredAt, entry.recordedAt(), act.lateEntry(), act.emergencyOverride(),
                             List.copyOf(relied), atAct, whenRecorded));
        }
        return List.copyOf(acts);
    }

    /** A session or referral as its event says it. */
    private record Recorded(AuditEntry entry, String kind, String subject, String clinicId, Instant occurredAt,
                            boolean lateEntry, boolean emergencyOverride, List<ConsentReliance> consents) {
    }

    /** A consent event and when the audit's source recorded it. */
    private record Known(Instant recordedAt, Object event) {
    }

    /** Each consent's period from the events {@code counted} lets through. */
    private static Map<String, ConsentPeriod> periods(List<Known> consents, Predicate<Known> counted) {
        Map<String, ConsentPeriod> periods = new LinkedHashMap<>();
        for (Known known : consents) {
            if (!counted.test(known)) {
                continue;
            }
            switch (known.event()) {
                case ConsentGranted g -> periods.put(g.consentId().toString(), new ConsentPeriod(
                        g.consentId().toString(), g.clinicId().toString(), g.scopes(), g.grantedAt(), g.expiresAt(),
                        List.of(), null));
                case ConsentWithdrawn w -> periods.computeIfPresent(w.consentId().toString(),
                                                                    (id, p) -> p.withdrawn(w.withdrawnScopes(),
                                                                                           w.withdrawnAt()));
                case ConsentExpired x -> periods.computeIfPresent(x.consentId().toString(),
                                                                  (id, p) -> p.expired(x.expiredAt()));
                case ClientTransferred t -> t.carriedOver().forEach(c -> periods.computeIfPresent(
                        c.toString(), (id, p) -> p.carriedTo(t.toClinicId().toString(), t.transferredAt())));
                default -> {
                }
            }
        }
        return periods;
    }

    private static boolean covers(ConsentPeriod period, Set<ConsentScope> scopes, String clinicId, Instant at) {
        return period != null && !scopes.isEmpty() && scopes.stream().allMatch(s -> period.covers(s, clinicId, at));
    }

    private static Set<ConsentScope> activeScopes(ConsentPeriod period, Instant at) {
        Set<ConsentScope> active = new TreeSet<>();
        for (ConsentScope scope : period.scopes()) {
            if (period.covers(scope, period.clinicId(), at)) {
                active.add(scope);
            }
        }
        return active;
    }

    private static List<String> names(Set<ConsentScope> scopes) {
        return scopes.stream().map(Enum::name).sorted().toList();
    }
}
