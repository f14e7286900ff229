package org.stillpoint.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies organisation by its short code, such as {@code harmony-health}. */
public record OrganisationId(@JsonValue String value) {

    public OrganisationId {
        Ids.code(value, "organisation id");
    }

    @JsonCreator
    public static OrganisationId of(String value) {
        return new OrganisationId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
