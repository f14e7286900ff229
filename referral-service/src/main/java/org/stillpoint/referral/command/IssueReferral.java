package org.stillpoint.referral.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.ReferralId;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.referral.InformationCategory;
import org.stillpoint.contracts.referral.Urgency;

import java.time.Instant;
import java.util.Set;

/**
 * Issue a referral for a client to an outside professional.
 *
 * @param emergencyJustification why an emergency referral cannot wait for information-sharing consent
 * @param consentSequence        the client's consent sequence the caller has seen, or null
 */
public record IssueReferral(@TargetAggregateIdentifier ReferralId referralId, ClientId clientId, ClinicId clinicId,
                            RecipientDetails recipient, Urgency urgency, String reason, SessionId originatingSession,
                            Set<InformationCategory> sharedCategories, String emergencyJustification,
                            Long consentSequence, Instant at, Actor actor) {
}
