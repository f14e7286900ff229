package org.stillpoint.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies clinic by its short code, such as {@code north-leeds}. */
public record ClinicId(@JsonValue String value) {

    public ClinicId {
        Ids.code(value, "clinic id");
    }

    @JsonCreator
    public static ClinicId of(String value) {
        return new ClinicId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
