package org.stillpoint.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** Identifies a client; travels as its UUID string. */
public record ClientId(@JsonValue UUID value) {

    public ClientId {
        Objects.requireNonNull(value, "value");
    }

    public static ClientId random() {
        return new ClientId(UUID.randomUUID());
    }

    /** Parses the canonical UUID form; anything else is refused with {@link IllegalArgumentException}. */
    @JsonCreator
    public static ClientId of(String text) {
        return new ClientId(Ids.uuid(text));
    }

    /** Whether {@code text} is a client id in its canonical form. */
    public static boolean isId(String text) {
        try {
            Ids.uuid(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
