package org.stillpoint.platform.input;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainTextTest {

    @Test
    void oneNameHasOneSpelling() {
        String composed = "Zo\u00eb";
        String decomposed = "Zoe\u0308";
        assertThat(PlainText.checked(decomposed)).isEqualTo(composed).isEqualTo(PlainText.checked(composed));
    }

    @Test
    void textThatReadsOtherwiseThanItIsStoredIsRefused() {
        for (String hidden : new String[]{"Robin\u202Enwod", "a\u2066b", "Ro\u200Bbin", "\uFEFFRobin", "a\u200Fb"}) {
            assertThatThrownBy(() -> PlainText.checked(hidden)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> PlainText.checked("x\u001b[2J")).hasMessageContaining("control character");
    }

    @Test
    void halfASurrogatePairIsNoCharacterButAWholeOneIs() {
        assertThatThrownBy(() -> PlainText.checked("a\uD800b")).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> PlainText.checked("a\uDC00")).hasMessageContaining("surrogate");
        assertThat(PlainText.checked("calm \uD83D\uDE0C")).isEqualTo("calm \uD83D\uDE0C");
    }

    @Test
    void scriptsThatNeedJoinersKeepThem() {
        assertThat(PlainText.checked("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")).contains("\u200c");
        assertThat(PlainText.checked("tab\tand\nnewline")).isEqualTo("tab\tand\nnewline");
    }
}
