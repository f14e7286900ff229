package org.stillpoint.consentview;

import org.stillpoint.contracts.ConsentReliance;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.platform.problem.Refusal;

import java.util.List;
import java.util.Set;

/**
 * What a current consent view says about an act: the consents that covered which scopes, the scopes nothing covered,
 * the client's organisation, and how far the view had read.
 *
 * @param viewSequence the client's last consent event the view had applied (its {@code ce_sequence})
 */
public record ConsentAssessment(String organisationId, String describedAs, List<ConsentReliance> reliances,
                                Set<ConsentScope> missing, long viewSequence) {

    public ConsentAssessment {
        reliances = List.copyOf(reliances);
        missing = Set.copyOf(missing);
    }

    public boolean covered() {
        return missing.isEmpty();
    }

    /** The basis of the act, or {@code 409 consent-missing} naming every scope not covered, in scope order. */
    public ConsentBasis required(String field) {
        if (!covered()) {
            List<ConsentScope> ordered = missing.stream().sorted().toList();
            throw Refusal.conflict("consent-missing", field,
                                   "No consent of this client covered " + ordered + " " + describedAs
                                           + " (consent events read up to sequence " + viewSequence + ").")
                         .with("missingScopes", ordered)
                         .with("consentViewSequence", viewSequence);
        }
        return new ConsentBasis(reliances, viewSequence);
    }
}
