package org.stillpoint.audit.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the console says instead of ISO-8601 durations and enum names. */
class WordsTest {

    @Test
    void durationsAndCodesAreWords() {
        assertThat(Words.duration(Duration.ofHours(72))).isEqualTo("3 days");
        assertThat(Words.duration(Duration.ofMinutes(90))).isEqualTo("1 hour 30 minutes");
        assertThat(Words.duration(Duration.ofDays(1).plusSeconds(1))).isEqualTo("1 day 1 second");
        assertThat(Words.duration(Duration.ZERO)).isEqualTo("no time");
        assertThat(Words.code("SESSION_SUMMARIES")).isEqualTo("session summaries");
        // what a delivery to an integrator shared: an event type
        assertThat(Words.code("stillpoint.session.note-signed.v1")).isEqualTo("session note signed");
        assertThat(new Words.Say().codes(List.of("DEMOGRAPHICS", "SESSION_SUMMARIES")))
                .isEqualTo("demographics, session summaries");
        assertThat(Words.outcome("NOT_APPROPRIATE")).isEqualTo("not appropriate");
        assertThat(Words.outcome(null)).isNull();
    }
}
