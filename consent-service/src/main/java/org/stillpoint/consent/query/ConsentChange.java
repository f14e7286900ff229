package org.stillpoint.consent.query;

import org.stillpoint.contracts.ConsentScope;
import org.stillpoint.contracts.Sealed;

import java.time.Instant;
import java.util.Set;

/**
 * One entry of a consent's history.
 *
 * @param change  GRANTED, WITHDRAWN or EXPIRED
 * @param scopes  the scopes granted, withdrawn or lapsed
 * @param eventId the event it came from
 */
public record ConsentChange(String change, Instant at, Set<ConsentScope> scopes, String by, Sealed reason,
                            String eventId) {
}
