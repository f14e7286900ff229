package org.stillpoint.contracts.consent;

/** What a client's copy holds of their session notes. */
public enum CopyNotes {
    /** The notes' text: the organisation shows its clients their notes. */
    SHOWN,
    /** The notes' text: a clinic administrator released them for this copy. */
    RELEASED,
    /** Not the notes' text: the organisation does not show notes to clients and none were released; the copy says so. */
    WITHHELD
}
