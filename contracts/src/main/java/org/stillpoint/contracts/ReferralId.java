package org.stillpoint.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** Identifies a referral; travels as its UUID string. */
public record ReferralId(@JsonValue UUID value) {

    public ReferralId {
        Objects.requireNonNull(value, "value");
    }

    public static ReferralId random() {
        return new ReferralId(UUID.randomUUID());
    }

    /** Parses the canonical UUID form; anything else is refused with {@link IllegalArgumentException}. */
    @JsonCreator
    public static ReferralId of(String text) {
        return new ReferralId(Ids.uuid(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
