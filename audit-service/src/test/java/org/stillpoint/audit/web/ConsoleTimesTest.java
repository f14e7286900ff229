package org.stillpoint.audit.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Times as a person reads and types them in the console: to the second, in the organisation's zone. */
class ConsoleTimesTest {

    private final Console.Times times = new Console.Times(ZoneId.of("Europe/London"));

    @Test
    void aTimeIsShownToTheSecondWithItsZone() {
        assertThat(times.of(Instant.parse("2026-07-01T16:13:16.987654321Z"))).isEqualTo("2026-07-01 17:13:16 BST");
    }

    @Test
    void theAsOfInputHoldsSecondsSoAMomentBetweenTwoMinutesCanBeAsked() {
        assertThat(times.input(Instant.parse("2026-12-07T17:13:16.5Z"))).isEqualTo("2026-12-07T17:13:16");
        assertThat(times.input(Instant.parse("2026-12-07T17:13:00Z"))).as("seconds even when zero")
                                                                      .isEqualTo("2026-12-07T17:13:00");
    }
}
