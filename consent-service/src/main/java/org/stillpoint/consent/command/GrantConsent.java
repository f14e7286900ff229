package org.stillpoint.consent.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ConsentId;
import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.consent.ConsentForm;
import org.stillpoint.contracts.consent.ConsentMethod;
import org.stillpoint.contracts.consent.GrantorKind;

import java.time.Instant;
import java.util.Set;

/**
 * Record consent given by the client or their guardian.
 *
 * @param clinicId  the clinic it is given at; the client's own clinic when absent
 * @param grantedAt when it was given; {@code at} when absent
 * @param lateEntryReason why it is recorded only now, needed when {@code grantedAt} is longer ago than the late-entry
 *                        window
 * @param at        when the request was made
 */
public record GrantConsent(@TargetAggregateIdentifier ClientId clientId, ConsentId consentId, ClinicId clinicId,
                           Set<ConsentScope> scopes, ConsentForm form, ConsentMethod method,
                           GrantorKind grantorKind, String guardianName, String guardianRelationship,
                           String witnessName, String boundaries, Instant grantedAt, Instant expiresAt,
                           String lateEntryReason, Instant at, Actor actor) {
}
