package org.stillpoint.consentview;

import org.stillpoint.contracts.ConsentReliance;

import java.util.List;

/**
 * What a decision relied on: the consents that covered the act, and how far the deciding view had read.
 *
 * @param viewSequence the client's last consent event the view had applied (its {@code ce_sequence})
 */
public record ConsentBasis(List<ConsentReliance> reliances, long viewSequence) {

    public ConsentBasis {
        reliances = List.copyOf(reliances);
    }
}
