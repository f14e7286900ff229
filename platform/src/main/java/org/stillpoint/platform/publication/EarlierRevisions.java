package org.stillpoint.platform.publication;

import java.time.Instant;
import java.util.List;

/**
 * The earlier revisions of an event type that the organisation topics still carry beside the current one during a
 * deprecation period, so that a consumer written for the earlier revision keeps working through the change
 * (docs/INTEGRATORS.md, "Versions"). Each copy is the same event: it keeps the event's {@code ce_id} and sequence.
 */
@FunctionalInterface
public interface EarlierRevisions {

    /** No earlier revision is published. */
    EarlierRevisions NONE = (payload, storedAt) -> List.of();

    /**
     * The event in each earlier revision still published beside it, oldest last; empty when none.
     *
     * @param storedAt when the event was stored: the deprecation period is decided by it, so a republication sends the
     *                 same records again
     */
    List<Object> of(Object payload, Instant storedAt);
}
