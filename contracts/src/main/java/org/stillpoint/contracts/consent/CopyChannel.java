package org.stillpoint.contracts.consent;

/** How a client asked for a copy of their record. */
public enum CopyChannel {
    /** In their own view, signed in as themselves. */
    CLIENT_VIEW,
    /** On paper, by post or in person; a clinic administrator recorded it. */
    ON_PAPER
}
