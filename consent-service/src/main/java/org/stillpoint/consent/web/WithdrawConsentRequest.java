package org.stillpoint.consent.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.stillpoint.contracts.ConsentScope;

import java.util.Set;

/**
 * The body of {@code POST /api/clients/{clientId}/consents/{consentId}/withdrawals}.
 *
 * @param scopes the scopes to withdraw; absent or empty withdraws everything still granted
 */
record WithdrawConsentRequest(Set<@NotNull ConsentScope> scopes, @Size(max = 2000) String reason) {
}
