package org.stillpoint.contracts;

import java.util.Objects;

/**
 * Who did something: the token's subject, or {@code system/…} for what the suite does by itself (expiry).
 */
public record Actor(String subject) {

    public static final Actor EXPIRY_SCHEDULER = new Actor("system/consent-expiry");
    /** What produces a client's copy of their record, in the background (consent-service). */
    public static final Actor COPY_PRODUCER = new Actor("system/copy-producer");

    public Actor {
        Objects.requireNonNull(subject, "subject");
    }

    @Override
    public String toString() {
        return subject;
    }
}
