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

    /** Whether {@code value} is a well-formed clinic or organisation code. */
    public static boolean isCode(String value) {
        return Ids.isCode(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
