package io.steward.core.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.steward.core.Describe;
import io.steward.core.GroupLog;
import io.steward.core.decide.Decider;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.LogRecord;
import io.steward.core.simulation.SimulatedLogs;
import io.steward.core.state.ClusterState;

/** Properties of the fold and the decision function over long simulated logs. */
class FoldPropertiesTest {

    private static final List<SimulatedLogs.Run> RUNS = SimulatedLogs.runs(6, 60_000);

    @Test
    void everyPrefixReplaysAndEqualsTheIncrementalState() {
        for (SimulatedLogs.Run run : RUNS) {
            List<LogRecord> records = run.records();
            ClusterState incremental = ClusterState.EMPTY;
            for (int i = 0; i < records.size(); i++) {
                incremental = ClusterFold.apply(incremental, records.get(i));
                if (i % 97 == 0 || i == records.size() - 1) {
                    assertThat(ClusterFold.applyAll(ClusterState.EMPTY, records.subList(0, i + 1)))
                            .as("%s: fold of the first %d records", run.name(), i + 1).isEqualTo(incremental);
                }
            }
        }
    }

    @Test
    void snapshotThenReplayOfTheTailEqualsFullReplay() {
        for (SimulatedLogs.Run run : RUNS) {
            List<LogRecord> records = run.records();
            ClusterState full = ClusterFold.applyAll(ClusterState.EMPTY, records);
            for (int cut : new int[] {0, records.size() / 3, records.size() / 2, records.size() - 1}) {
                ClusterState snapshot = ClusterFold.applyAll(ClusterState.EMPTY, records.subList(0, cut));
                assertThat(ClusterFold.applyAll(snapshot, records.subList(cut, records.size())))
                        .as("%s: snapshot at %d then the tail", run.name(), cut).isEqualTo(full);
            }
        }
    }

    @Test
    void replayingTheLogReproducesEveryRecordedDecisionExactly() {
        int checked = 0;
        for (SimulatedLogs.Run run : RUNS) {
            List<LogRecord> records = run.records();
            ClusterState state = ClusterState.EMPTY;
            int next = 0;
            for (int[] batch : run.batches()) {
                state = ClusterFold.applyAll(state, records.subList(next, batch[0]));
                LogRecord first = records.get(batch[0]);
                Decision again = Decider.decide(state, GroupLog.GROUP, first.timestamp(), DecisionPolicy.DEFAULT);
                List<Object> recorded = records.subList(batch[0], batch[0] + batch[1]).stream()
                        .map(r -> (Object) r.event()).toList();
                assertThat(again.events()).as("%s: decision at record %d", run.name(), batch[0])
                        .containsExactlyElementsOf(recorded.stream().map(GroupDecision.class::cast).toList());
                next = batch[0];
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void decidingAgainAfterApplyingADecisionRepeatsNothing() {
        int checked = 0;
        for (SimulatedLogs.Run run : RUNS) {
            List<LogRecord> records = run.records();
            ClusterState state = ClusterState.EMPTY;
            int next = 0;
            for (int[] batch : run.batches()) {
                state = ClusterFold.applyAll(state, records.subList(next, batch[0] + batch[1]));
                next = batch[0] + batch[1];
                LogRecord first = records.get(batch[0]);
                Set<String> decided = new HashSet<>();
                records.subList(batch[0], batch[0] + batch[1])
                        .forEach(r -> decided.add(Describe.of((GroupDecision) r.event())));
                Decision again = Decider.decide(state, GroupLog.GROUP, first.timestamp(), DecisionPolicy.DEFAULT);
                for (GroupDecision event : again.events()) {
                    assertThat(decided).as("%s: after the decision at record %d (%s), deciding again gave %s",
                            run.name(), batch[0], decided, again.reason()).doesNotContain(Describe.of(event));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }
}
