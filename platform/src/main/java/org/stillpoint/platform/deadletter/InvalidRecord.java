package org.stillpoint.platform.deadletter;

/**
 * A record a consumer must not apply: it is parked at once, with {@link #reason()}, and never retried by itself (a
 * retry cannot make an unreadable or forged record valid; an operator decides).
 */
public class InvalidRecord extends RuntimeException {

    private final String reason;

    public InvalidRecord(String reason, String detail) {
        this(reason, detail, null);
    }

    public InvalidRecord(String reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    /** A stable code, listed in {@code docs/OPERATIONS.md}: {@code unreadable}, {@code key-mismatch}, ... */
    public String reason() {
        return reason;
    }
}
