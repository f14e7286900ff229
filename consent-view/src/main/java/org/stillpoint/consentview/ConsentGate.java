package org.stillpoint.consentview;

import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.platform.consent.ConsentPeriod;
import org.stillpoint.platform.problem.Refusal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers whether a client's consent covered an act, from this service's own view of the consent topic.
 * <p>
 * The rule: every scope must be covered by a consent of that client, at that clinic, active at the moment the act took
 * place — not at the moment it is recorded. A late entry for a time when consent was active is therefore accepted even
 * if consent was withdrawn since; an act after a withdrawal or expiry is refused.
 */
public interface ConsentGate {

    /**
     * What the client's consents say about {@code scopes} at {@code clinicId} at the moment {@code at}, from a view
     * known to be current enough.
     *
     * @param seenSequence the client's consent sequence the caller has seen (from consent-service's answers), so the
     *                     view waits until it has read at least that far; null when the caller has none
     * @throws Refusal {@code 404 client-not-found}; {@code 503 consent-view-behind} (retryable) when the view could not
     *                 catch up in time
     */
    ConsentAssessment assess(ClientId clientId, ClinicId clinicId, Set<ConsentScope> scopes, Instant at,
                             Long seenSequence);

    /**
     * The consents covering every one of {@code scopes}, or a refusal.
     *
     * @param field the request field the scopes came from, named in a refusal
     * @throws Refusal as {@link #assess}, and {@code 409 consent-missing} naming every scope not covered
     */
    default ConsentBasis require(ClientId clientId, ClinicId clinicId, Set<ConsentScope> scopes, Instant at,
                                 Long seenSequence, String field) {
        return assess(clientId, clinicId, scopes, at, seenSequence).required(field);
    }

    /** The assessment on a history that is known to be current enough. */
    static ConsentAssessment assess(ClientConsentHistory history, ClientId clientId, ClinicId clinicId,
                                    Set<ConsentScope> scopes, Instant at) {
        if (history == null || !history.registered()) {
            throw Refusal.notFound("client-not-found", "clientId", "There is no client " + clientId + ".");
        }
        Map<ConsentScope, ConsentPeriod> coverage = history.coverage(scopes, clinicId.toString(), at);
        EnumSet<ConsentScope> missing = EnumSet.noneOf(ConsentScope.class);
        missing.addAll(scopes);
        missing.removeAll(coverage.keySet());
        Map<String, EnumSet<ConsentScope>> byConsent = new LinkedHashMap<>();
        coverage.forEach((scope, period) -> byConsent.computeIfAbsent(period.consentId(),
                                                                      id -> EnumSet.noneOf(ConsentScope.class)).add(scope));
        List<ConsentReliance> reliances = new ArrayList<>();
        byConsent.forEach((consentId, covered) -> {
            ConsentPeriod period = coverage.get(covered.iterator().next());
            reliances.add(new ConsentReliance(ConsentId.of(consentId), period.versionAt(at), covered));
        });
        return new ConsentAssessment(history.organisationId(), "at " + clinicId + " at " + at, reliances, missing,
                                     history.sequence());
    }
}
