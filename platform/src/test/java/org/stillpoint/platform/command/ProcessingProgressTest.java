package org.stillpoint.platform.command;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What "handled a position" means for a write waiting on its own event. */
class ProcessingProgressTest {

    @Test
    void aPositionIsHandledOnceTheTokenIsPastItAndDoesNotHoldItAsAGap() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(20, List.of(7L, 12L));

        assertThat(ProcessingProgress.handled(token, 15)).as("a gap below does not matter").isTrue();
        assertThat(ProcessingProgress.handled(token, 20)).isTrue();
        assertThat(ProcessingProgress.handled(token, 12)).as("itself a gap").isFalse();
        assertThat(ProcessingProgress.handled(token, 21)).as("not reached").isFalse();
        assertThat(token.covers(GapAwareTrackingToken.newInstance(15, List.of())))
                .as("where covers would wait for the gaps below").isFalse();
    }

    @Test
    void aReplayIsJudgedByWhereItIsNow() {
        GapAwareTrackingToken now = GapAwareTrackingToken.newInstance(5, List.of());
        GapAwareTrackingToken reset = GapAwareTrackingToken.newInstance(30, List.of());
        assertThat(ProcessingProgress.handled(ReplayToken.createReplayToken(reset, now), 5)).isTrue();
        assertThat(ProcessingProgress.handled(ReplayToken.createReplayToken(reset, now), 6)).isFalse();
    }
}
