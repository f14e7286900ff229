package org.stillpoint.audit.web;

import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.PublishedTypes;

import static org.assertj.core.api.Assertions.assertThat;

/** The console names every published type in words, never by its type name. */
class EventLabelsTest {

    @Test
    void everyPublishedTypeHasALabel() {
        for (Class<?> type : PublishedTypes.all()) {
            String ceType = PublishedTypes.typeOf(type);
            assertThat(EventLabels.of(ceType)).as(ceType).doesNotStartWith("stillpoint.").isNotBlank();
        }
        assertThat(EventLabels.of("stillpoint.consent.granted.v1")).isEqualTo("Consent granted");
        assertThat(EventLabels.of("stillpoint.unknown.v9")).as("a type this version does not know shows as it is")
                                                           .isEqualTo("stillpoint.unknown.v9");
    }
}
