package org.stillpoint.consentview;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.platform.consent.ConsentPeriod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A client's consents as this service knows them from {@code stillpoint.consent.v1}: one document per client.
 *
 * @param sequence the client's last consent event applied (its {@code ce_sequence}); -1 before any
 * @param erasedAt when the client was erased; null while they are not
 */
@Document(ClientConsentHistory.COLLECTION)
public record ClientConsentHistory(@Id String clientId, String organisationId, String clinicId, long sequence,
                                   String lastEventId, List<ConsentPeriod> consents, Instant erasedAt) {

    public static final String COLLECTION = "consent_view";

    public ClientConsentHistory {
        consents = consents == null ? List.of() : List.copyOf(consents);
    }

    static ClientConsentHistory unknown(String clientId) {
        return new ClientConsentHistory(clientId, null, null, -1, null, List.of(), null);
    }

    /** Whether the client's registration has been seen. */
    public boolean registered() {
        return organisationId != null;
    }

    /**
     * The history after one more event, or empty when the event was applied already (a redelivery). Events are applied
     * in their sequence; one that arrives out of order is applied too, as it carries its own times.
     */
    Optional<ClientConsentHistory> apply(Object event, long eventSequence, String eventId) {
        if (eventSequence <= sequence) {
            return Optional.empty();
        }
        List<ConsentPeriod> periods = new ArrayList<>(consents);
        String organisation = organisationId;
        String clinic = clinicId;
        Instant erased = erasedAt;
        switch (event) {
            case ClientRegistered registered -> {
                organisation = registered.organisationId().toString();
                clinic = registered.clinicId().toString();
            }
            case ConsentGranted granted -> periods.add(new ConsentPeriod(
                    granted.consentId().toString(), granted.clinicId().toString(), granted.scopes(),
                    granted.grantedAt(), granted.expiresAt(), List.of(), null));
            case ConsentWithdrawn withdrawn -> replace(periods, withdrawn.consentId().toString(),
                                                       p -> p.withdrawn(withdrawn.withdrawnScopes(), withdrawn.withdrawnAt()));
            case ConsentExpired expired -> replace(periods, expired.consentId().toString(),
                                                   p -> p.expired(expired.expiredAt()));
            case ClientErased clientErased -> erased = clientErased.erasedAt();
            case ClientTransferred transferred -> {
                // one client, one history: they belong to the new clinic, and only the consents carried over cover it
                clinic = transferred.toClinicId().toString();
                Set<String> carried = transferred.carriedOver().stream().map(Object::toString)
                                                 .collect(java.util.stream.Collectors.toSet());
                periods.replaceAll(p -> carried.contains(p.consentId())
                        ? p.carriedTo(transferred.toClinicId().toString(), transferred.transferredAt()) : p);
            }
            default -> {
                // a type this service does not use: only the position moves
            }
        }
        return Optional.of(new ClientConsentHistory(clientId, organisation, clinic, eventSequence, eventId, periods, erased));
    }

    /** For each scope, the consent that covered it at {@code clinicId} at {@code at}; absent scopes were not covered. */
    public Map<ConsentScope, ConsentPeriod> coverage(Iterable<ConsentScope> scopes, String clinicId, Instant at) {
        Map<ConsentScope, ConsentPeriod> covered = new EnumMap<>(ConsentScope.class);
        for (ConsentScope scope : scopes) {
            consents.stream()
                    .filter(p -> p.covers(scope, clinicId, at))
                    .max(Comparator.comparing(ConsentPeriod::grantedAt))
                    .ifPresent(p -> covered.put(scope, p));
        }
        return covered;
    }

    private static void replace(List<ConsentPeriod> periods, String consentId,
                                UnaryOperator<ConsentPeriod> change) {
        periods.replaceAll(p -> p.consentId().equals(consentId) ? change.apply(p) : p);
    }
}
