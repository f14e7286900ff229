package org.stillpoint.contracts.access;

/** What happened to a webhook subscription (delivery-service). */
public enum SubscriptionChange {
    /** Registered: an endpoint, the event types it wants, a signing secret shown once. */
    CREATED,
    /** Its endpoint, name or event types changed. */
    CHANGED,
    /** A new signing secret replaced the old one (shown once). */
    SECRET_ROTATED,
    /** Paused by a person; nothing is sent until it is resumed, and nothing is skipped. */
    PAUSED,
    /** Paused by the service: the endpoint failed every attempt for the whole retry period. */
    PAUSED_FAILING,
    /** Resumed: delivery goes on from where it stopped. */
    RESUMED,
    /** Disabled by the endpoint itself: it answered 410 Gone. */
    DISABLED,
    /** Deleted: nothing more is sent, its signing secret is destroyed. */
    DELETED,
    /** Its cursor was moved: delivery starts again from a position or a time (a replay). */
    REWOUND,
    /** Messages already delivered were asked for again, without moving the cursor (a redelivery). */
    REDELIVERY_ASKED
}
