package io.steward.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.steward.core.model.Lsn;

/** Reading the switch points out of a timeline history file as PostgreSQL writes it. */
class TimelineHistoryTest {

    private static final String HISTORY = "1\t0/5029A58\tno recovery target specified\n\n"
            + "2\t0/5046A20\tno recovery target specified\n";

    @Test
    void theSwitchPointOfEachParentTimeline() {
        assertThat(TimelineHistory.switchPoint(HISTORY, 1)).isEqualTo(Lsn.parse("0/5029A58"));
        assertThat(TimelineHistory.switchPoint(HISTORY, 2)).isEqualTo(Lsn.parse("0/5046A20"));
    }

    @Test
    void aTimelineTheHistoryDoesNotPassThrough() {
        assertThat(TimelineHistory.switchPoint(HISTORY, 3)).isNull();
        assertThat(TimelineHistory.switchPoint("", 1)).isNull();
    }
}
