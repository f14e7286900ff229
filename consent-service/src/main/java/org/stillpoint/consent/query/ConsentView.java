package org.stillpoint.consent.query;

import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.GrantorKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One consent as recorded, with its history. Sensitive values stay sealed here; they are opened only when read.
 *
 * @param activeScopes what it covers now, by its events (expiry due but not yet recorded is applied on read)
 * @param status       ACTIVE, WITHDRAWN or EXPIRED, by its events
 * @param version      1 when granted, one more with each change
 */
public record ConsentView(String consentId, String clinicId, Set<ConsentScope> grantedScopes,
                          Set<ConsentScope> activeScopes, String status, int version, ConsentForm form,
                          ConsentMethod method, GrantorKind grantorKind, Sealed guardianName,
                          String guardianRelationship, Sealed witness, Sealed boundaries, Instant grantedAt,
                          Instant expiresAt, Instant recordedAt, String recordedBy, List<ConsentChange> history,
                          boolean lateEntry, Sealed lateEntryReason) {

    public static final String ACTIVE = "ACTIVE";
    public static final String WITHDRAWN = "WITHDRAWN";
    public static final String EXPIRED = "EXPIRED";

    ConsentView changed(Set<ConsentScope> active, String newStatus, ConsentChange change) {
        List<ConsentChange> changes = new ArrayList<>(history);
        changes.add(change);
        return new ConsentView(consentId, clinicId, grantedScopes, Set.copyOf(active), newStatus, version + 1, form,
                               method, grantorKind, guardianName, guardianRelationship, witness, boundaries, grantedAt,
                               expiresAt, recordedAt, recordedBy, List.copyOf(changes), lateEntry, lateEntryReason);
    }

    /**
     * The consent without the client's personal data, as an erasure leaves it: scopes, form, method, times and who
     * recorded it stay; the guardian's name and relationship, the witness, the boundaries and every reason go.
     */
    ConsentView withoutPersonalData() {
        return new ConsentView(consentId, clinicId, grantedScopes, activeScopes, status, version, form, method,
                               grantorKind, null, null, null, null, grantedAt, expiresAt, recordedAt, recordedBy,
                               history.stream().map(h -> new ConsentChange(h.change(), h.at(), h.scopes(), h.by(), null,
                                                                           h.eventId())).toList(),
                               lateEntry, null);
    }

    /** The status at {@code now}: an active consent past its expiry counts as expired before the event is recorded. */
    public String statusAt(Instant now) {
        if (ACTIVE.equals(status) && expiresAt != null && !now.isBefore(expiresAt)) {
            return EXPIRED;
        }
        return status;
    }
}
