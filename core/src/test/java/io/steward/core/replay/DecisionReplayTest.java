package io.steward.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.LogRecord;
import io.steward.core.simulation.SimulatedLogs;

class DecisionReplayTest {

    /**
     * The basis of each decision record: the offset of the record before its batch. The simulation
     * decides at its own clock, which can be ahead of the log when no record came for a while; only
     * batches decided at the log's own time (as the decision service always decides) are kept.
     */
    static Map<Long, Long> bases(SimulatedLogs.Run run) {
        Map<Long, Long> bases = new HashMap<>();
        for (int[] batch : run.batches()) {
            LogRecord before = run.records().get(batch[0] - 1);
            LogRecord first = run.records().get(batch[0]);
            if (!before.timestamp().equals(first.timestamp())) {
                continue;
            }
            long basis = before.offset();
            for (int i = batch[0]; i < batch[0] + batch[1]; i++) {
                bases.put(run.records().get(i).offset(), basis);
            }
        }
        return bases;
    }

    static DecisionReplay.Verification verify(List<LogRecord> records, Map<Long, Long> bases) {
        return DecisionReplay.verify(records, record -> bases.containsKey(record.offset())
                ? OptionalLong.of(bases.get(record.offset())) : OptionalLong.empty(), DecisionPolicy.DEFAULT);
    }

    @Test
    void everyDecisionOfSimulatedRunsIsWhatTheDeciderGivesOnItsPrefix() {
        int checked = 0;
        for (SimulatedLogs.Run run : SimulatedLogs.runs(3, 60_000)) {
            DecisionReplay.Verification verification = verify(run.records(), bases(run));
            assertThat(verification.mismatches()).as(run.name()).isEmpty();
            checked += verification.decisionsChecked();
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void aTamperedDecisionIsFound() {
        SimulatedLogs.Run run = SimulatedLogs.runs(1, 60_000).get(0);
        List<LogRecord> records = new ArrayList<>(run.records());
        int index = -1;
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).event() instanceof CommandIssued) {
                index = i;
                break;
            }
        }
        assertThat(index).as("a command in the run").isPositive();
        LogRecord original = records.get(index);
        CommandIssued issued = (CommandIssued) original.event();
        records.set(index, new LogRecord(original.partition(), original.offset(), original.timestamp(),
                new CommandIssued(issued.epoch(), issued.command(), issued.reason() + " (edited)")));

        DecisionReplay.Verification verification = verify(records, bases(run));

        assertThat(verification.passed()).isFalse();
        assertThat(verification.mismatches()).singleElement().asString().contains("(edited)");
    }

    @Test
    void aDecisionBasedOnAnOffsetThatIsNotInTheLogIsReported() {
        SimulatedLogs.Run run = SimulatedLogs.runs(1, 30_000).get(0);
        Map<Long, Long> bases = bases(run);
        long first = bases.keySet().stream().min(Long::compare).orElseThrow();
        bases.put(first, 1_000_000L);

        assertThat(verify(run.records(), bases).mismatches()).anyMatch(m -> m.contains("not in the log"));
    }
}
