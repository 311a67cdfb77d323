package io.steward.core.fold;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.steward.core.Clusters;
import io.steward.core.GroupLog;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.LogRecord;
import io.steward.core.state.ClusterState;

/** A record the fold cannot apply is passed over and named; the fold of every other record goes on. */
class FoldContainmentTest {

    @Test
    void aRecordThatCannotBeFoldedIsPassedOverAndNamed() {
        GroupLog log = Clusters.three();
        ClusterState before = log.state();
        long position = before.partition(0).position();
        LogRecord broken = new LogRecord(0, position + 1, log.now().plusSeconds(1), new CommandIssued(1, null, "no command"));

        ClusterFold.Folded folded = ClusterFold.applyChecked(before, broken);

        assertThat(folded.rejection()).startsWith("CommandIssued cannot be folded: java.lang.NullPointerException");
        assertThat(folded.state().partition(0).position()).isEqualTo(position + 1);
        assertThat(folded.state().partition(0).ignored()).isEqualTo(before.partition(0).ignored() + 1);
        assertThat(folded.state().groups()).isEqualTo(before.groups());
        assertThat(ClusterFold.apply(before, broken)).as("apply passes over it the same way").isEqualTo(folded.state());
    }
}
