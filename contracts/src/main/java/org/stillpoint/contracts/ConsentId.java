package org.stillpoint.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** Identifies a consent; travels as its UUID string. */
public record ConsentId(@JsonValue UUID value) {

    public ConsentId {
        Objects.requireNonNull(value, "value");
    }

    public static ConsentId random() {
        return new ConsentId(UUID.randomUUID());
    }

    /** Parses the canonical UUID form; anything else is refused with {@link IllegalArgumentException}. */
    @JsonCreator
    public static ConsentId of(String text) {
        return new ConsentId(Ids.uuid(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
