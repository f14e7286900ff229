package org.stillpoint.platform.record;

import java.util.Set;

/**
 * A record a consumer must not apply: it is parked at once, with {@link #reason()}, and never retried by itself (a
 * retry cannot make an unreadable or forged record valid; an operator decides).
 */
public class InvalidRecord extends RuntimeException {

    /** The reasons that say by themselves that no producer vouches for the record. */
    private static final Set<String> UNSIGNED_REASONS = Set.of("unsigned", "bad-signature", "unknown-key",
                                                               "foreign-source");

    private final String reason;
    private final boolean authenticated;

    /** A record its producer signed but that is wrong all the same (or whose signature was not the question). */
    public InvalidRecord(String reason, String detail) {
        this(reason, detail, null);
    }

    public InvalidRecord(String reason, String detail, Throwable cause) {
        this(reason, detail, cause, !UNSIGNED_REASONS.contains(reason));
    }

    private InvalidRecord(String reason, String detail, Throwable cause, boolean authenticated) {
        super(detail, cause);
        this.reason = reason;
        this.authenticated = authenticated;
    }

    /** The same finding about a record no producer of its topic vouches for (no signature that verifies). */
    public InvalidRecord unauthenticated() {
        return authenticated ? new InvalidRecord(reason, getMessage(), getCause(), false) : this;
    }

    /** A stable code, listed in {@code docs/OPERATIONS.md}: {@code unreadable}, {@code key-mismatch}, ... */
    public String reason() {
        return reason;
    }

    /**
     * Whether a producer of the topic signed the record. One that none did is parked and reported but holds nobody:
     * it is not the client's record, and anyone who can write to a topic could otherwise freeze any client's record.
     */
    public boolean authenticated() {
        return authenticated;
    }
}
