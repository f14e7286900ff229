package org.stillpoint.contracts.access;

/** Whether the access was let through. */
public enum AccessOutcome {
    ALLOWED,
    DENIED,
    /** Allowed, but the client had been erased: the answer said so and showed nothing of their record. */
    GONE
}
