package org.stillpoint.session.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.SessionId;
import org.stillpoint.contracts.session.Modality;

import java.time.Instant;
import java.util.Set;

/**
 * Record a session that took place.
 *
 * @param consentSequence the client's consent sequence the caller has seen, or null
 * @param lateEntryReason why it is recorded only now, needed when it started longer ago than the late-entry window
 * @param at              when it is recorded
 */
public record RecordSession(@TargetAggregateIdentifier SessionId sessionId, ClientId clientId, ClinicId clinicId,
                            Actor practitioner, Instant startedAt, Integer durationMinutes, Set<Modality> modalities,
                            NoteText notes, Long consentSequence, String lateEntryReason, Instant at, Actor actor) {
}
