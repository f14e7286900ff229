package org.stillpoint.platform.directory;

/**
 * What a service does with a member of staff its directory does not know — no membership, ended or not, in the
 * token's organisation, or an organisation with no directory at all: {@code stillpoint.directory.unknown-callers},
 * which every service must be given (there is no default in the code).
 */
public enum UnknownCallers {
    /** Refused ({@code 403 not-in-directory}) and logged: what production runs. */
    REFUSE,
    /**
     * Decided on the token's claims, each such request logged: for a deployment whose organisations have no directory
     * yet, and the tests of the other rules. Said at start-up.
     */
    TRUST_TOKEN
}
