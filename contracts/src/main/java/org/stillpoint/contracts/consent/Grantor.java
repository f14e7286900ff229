package org.stillpoint.contracts.consent;

import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

/**
 * Who gave consent.
 *
 * @param name         the guardian's name, sealed; absent when the client consented for themself
 * @param relationship the guardian's relationship to the client, such as {@code mother}; absent for the client
 */
public record Grantor(GrantorKind kind, @Sensitive Sealed name, String relationship) {
}
