package org.stillpoint.contracts.access;

/**
 * How a notice owed to a recipient after an erasure was closed (GDPR Art. 19): told, and how; or not owed, and why —
 * from a fixed vocabulary, so that nothing in which a name could hide stays in clear after the erasure.
 */
public enum NoticeOutcome {
    /** The recipient was told in writing, by post. */
    NOTIFIED_BY_LETTER,
    /** The recipient was told by email. */
    NOTIFIED_BY_EMAIL,
    /** The recipient was told through a secure messaging system. */
    NOTIFIED_BY_SECURE_MESSAGE,
    /** The recipient was told by telephone, and a note of the call kept. */
    NOTIFIED_BY_PHONE,
    /** Not owed: telling them proved impossible (the recipient no longer exists or cannot be reached). */
    NOT_REQUIRED_IMPOSSIBLE,
    /** Not owed: telling them would involve disproportionate effort. */
    NOT_REQUIRED_DISPROPORTIONATE_EFFORT,
    /** Not owed: the recipient confirmed they hold none of the data any more. */
    NOT_REQUIRED_DATA_NOT_HELD;

    /** Whether the recipient was told. */
    public boolean notified() {
        return name().startsWith("NOTIFIED_");
    }
}
