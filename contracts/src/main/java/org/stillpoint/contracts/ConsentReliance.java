package org.stillpoint.contracts;


import java.util.Set;

/**
 * A consent an act relied on: which consent, in which version, for which scopes.
 *
 * @param version the consent's version as the deciding service saw it (1 when granted, one more per change)
 */
public record ConsentReliance(ConsentId consentId, int version, Set<ConsentScope> scopes) {

    public ConsentReliance {
        scopes = Set.copyOf(scopes);
    }
}
