package org.stillpoint.platform.consent;

import org.stillpoint.contracts.ConsentScope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One consent as a service sees it from the consent topic (the consent view of session- and referral-service, the
 * audit's consent at each act): when it began, what it covered, and every change
 * since, so that the question "was this scope active at time T?" has an answer for any T, also in the past.
 *
 * @param withdrawals each withdrawal, with the scopes it ended and when
 * @param expiredAt   when it expired by itself, or null
 * @param carriedTo   the clinics the client moved to with this consent carried over, each from the transfer on
 */
public record ConsentPeriod(String consentId, String clinicId, Set<ConsentScope> scopes, Instant grantedAt,
                            Instant expiresAt, List<Withdrawal> withdrawals, Instant expiredAt,
                            List<Carried> carriedTo) {

    /** Scopes withdrawn at a moment. */
    public record Withdrawal(Set<ConsentScope> scopes, Instant at) {
    }

    /** The consent carried over to {@code clinicId} when the client moved there at {@code from}. */
    public record Carried(String clinicId, Instant from) {
    }

    public ConsentPeriod {
        scopes = Set.copyOf(scopes);
        withdrawals = withdrawals == null ? List.of() : List.copyOf(withdrawals);
        carriedTo = carriedTo == null ? List.of() : List.copyOf(carriedTo);
    }

    public ConsentPeriod(String consentId, String clinicId, Set<ConsentScope> scopes, Instant grantedAt,
                         Instant expiresAt, List<Withdrawal> withdrawals, Instant expiredAt) {
        this(consentId, clinicId, scopes, grantedAt, expiresAt, withdrawals, expiredAt, List.of());
    }

    /** Whether this consent covers {@code clinicId} at {@code at}: its own clinic, or one it was carried to by then. */
    public boolean holdsAt(String clinicId, Instant at) {
        return this.clinicId.equals(clinicId)
                || carriedTo.stream().anyMatch(c -> c.clinicId().equals(clinicId) && !c.from().isAfter(at));
    }

    /** Whether this consent covered {@code scope} at {@code clinicId} at the moment {@code at}. */
    public boolean covers(ConsentScope scope, String clinicId, Instant at) {
        if (!holdsAt(clinicId, at) || !scopes.contains(scope) || grantedAt.isAfter(at)) {
            return false;
        }
        if (expiresAt != null && !at.isBefore(expiresAt) || expiredAt != null && !at.isBefore(expiredAt)) {
            return false;
        }
        return withdrawals.stream().noneMatch(w -> w.scopes().contains(scope) && !w.at().isAfter(at));
    }

    /** The consent's version in force at {@code at}: 1 when granted, one more per change made by then. */
    public int versionAt(Instant at) {
        int version = 1;
        for (Withdrawal withdrawal : withdrawals) {
            if (!withdrawal.at().isAfter(at)) {
                version++;
            }
        }
        if (expiredAt != null && !expiredAt.isAfter(at)) {
            version++;
        }
        return version;
    }

    public ConsentPeriod withdrawn(Set<ConsentScope> withdrawn, Instant at) {
        List<Withdrawal> all = new ArrayList<>(withdrawals);
        all.add(new Withdrawal(Set.copyOf(withdrawn), at));
        return new ConsentPeriod(consentId, clinicId, scopes, grantedAt, expiresAt, all, expiredAt, carriedTo);
    }

    public ConsentPeriod expired(Instant at) {
        return new ConsentPeriod(consentId, clinicId, scopes, grantedAt, expiresAt, withdrawals, at, carriedTo);
    }

    /** The consent carried over to {@code clinic} from {@code at} on (a client's transfer). */
    public ConsentPeriod carriedTo(String clinic, Instant at) {
        List<Carried> all = new ArrayList<>(carriedTo);
        all.add(new Carried(clinic, at));
        return new ConsentPeriod(consentId, clinicId, scopes, grantedAt, expiresAt, withdrawals, expiredAt, all);
    }
}
