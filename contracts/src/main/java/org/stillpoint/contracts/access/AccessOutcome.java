package org.stillpoint.contracts.access;

/** Whether the access was let through. */
public enum AccessOutcome {
    ALLOWED,
    DENIED
}
