package io.steward.core.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

import io.steward.core.decide.Decider;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.LogRecord;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;

/**
 * Checks a log against the decision function: every decision recorded in it must be exactly what
 * {@link Decider#decide} gives on the log prefix it was based on (its {@code steward.basis}), at
 * that prefix's log time. This is guarantee 4 (deterministic replay) checked on a real log, and
 * how the audit verifies a past decision.
 *
 * <p>Leader-lease changes are not recomputed: they record what etcd showed, an input rather than a
 * decision. Records of a deposed epoch, which the fold ignores, are not checked either.
 */
public final class DecisionReplay {

    /** What the check found: how many decisions matched, and each mismatch described. */
    public record Verification(int decisionsChecked, List<String> mismatches) {
        public boolean passed() {
            return mismatches.isEmpty();
        }
    }

    /**
     * A decision function to replay: {@link Decider#decide} itself, or (to see what a change of the
     * rules would have done on a recorded history) another.
     */
    @FunctionalInterface
    public interface DecisionFunction {
        Decision decide(ClusterState state, GroupId group, Instant now, DecisionPolicy policy);
    }

    private DecisionReplay() {
    }

    /**
     * @param records every record of the log, each partition in offset order (partitions may interleave)
     * @param basis   the basis offset of a decision record, empty for other records
     */
    public static Verification verify(List<LogRecord> records, Function<LogRecord, OptionalLong> basis,
                                      DecisionPolicy policy) {
        return verify(records, basis, policy, Decider::decide);
    }

    /** The same check against another decision function. */
    public static Verification verify(List<LogRecord> records, Function<LogRecord, OptionalLong> basis,
                                      DecisionPolicy policy, DecisionFunction decider) {
        Map<Integer, List<LogRecord>> byPartition = new TreeMap<>();
        for (LogRecord record : records) {
            byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
        }
        int checked = 0;
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<Integer, List<LogRecord>> partition : byPartition.entrySet()) {
            // basis offset -> group -> the decisions recorded on that basis, in log order
            Map<Long, Map<GroupId, List<GroupDecision>>> recorded = new TreeMap<>();
            ClusterState folded = ClusterState.EMPTY;
            for (LogRecord record : partition.getValue()) {
                OptionalLong based = basis.apply(record);
                if (based.isPresent() && record.event() instanceof GroupDecision decision
                        && !(decision instanceof LeaderLeaseChanged)) {
                    recorded.computeIfAbsent(based.getAsLong(), b -> new LinkedHashMap<>())
                            .computeIfAbsent(decision.group(), g -> new ArrayList<>()).add(decision);
                }
            }
            for (LogRecord record : partition.getValue()) {
                folded = ClusterFold.apply(folded, record);
                Map<GroupId, List<GroupDecision>> decided = recorded.remove(record.offset());
                if (decided == null) {
                    continue;
                }
                ClusterState prefix = folded;
                long epoch = prefix.partition(partition.getKey()).epoch();
                for (Map.Entry<GroupId, List<GroupDecision>> entry : decided.entrySet()) {
                    List<GroupDecision> logged = entry.getValue().stream().filter(d -> d.epoch() >= epoch).toList();
                    if (logged.isEmpty()) {
                        continue;
                    }
                    List<GroupDecision> again = decider.decide(prefix, entry.getKey(),
                            prefix.partition(partition.getKey()).clock(), policy).events();
                    checked++;
                    if (!again.equals(logged)) {
                        mismatches.add(entry.getKey() + " at offset " + record.offset() + " of partition "
                                + partition.getKey() + ": the log holds " + logged + " but deciding again gives "
                                + again);
                    }
                }
            }
            recorded.forEach((offset, decided) -> mismatches.add("partition " + partition.getKey()
                    + ": decisions based on offset " + offset + ", which is not in the log: " + decided.keySet()));
        }
        return new Verification(checked, List.copyOf(mismatches));
    }

    /** The state after every record, in the order given. */
    public static ClusterState fold(List<LogRecord> records) {
        return ClusterFold.applyAll(ClusterState.EMPTY, records);
    }
}
