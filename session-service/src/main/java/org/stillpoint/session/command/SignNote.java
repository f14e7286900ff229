package org.stillpoint.session.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.SessionId;

import java.time.Instant;

/**
 * Sign a session's note, locking it.
 *
 * @param byClinicAdmin whether the caller is a clinic admin, who may sign on the author's behalf
 */
public record SignNote(@TargetAggregateIdentifier SessionId sessionId, ClientId clientId, Instant at, Actor actor,
                       boolean byClinicAdmin) {

    /** Signed by a caller who is not a clinic admin. */
    public SignNote(SessionId sessionId, ClientId clientId, Instant at, Actor actor) {
        this(sessionId, clientId, at, actor, false);
    }
}
