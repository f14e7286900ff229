package org.stillpoint.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** Identifies a recorded session; travels as its UUID string. */
public record SessionId(@JsonValue UUID value) {

    public SessionId {
        Objects.requireNonNull(value, "value");
    }

    public static SessionId random() {
        return new SessionId(UUID.randomUUID());
    }

    /** Parses the canonical UUID form; anything else is refused with {@link IllegalArgumentException}. */
    @JsonCreator
    public static SessionId of(String text) {
        return new SessionId(Ids.uuid(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
