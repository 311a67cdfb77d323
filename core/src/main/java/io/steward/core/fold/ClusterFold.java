package io.steward.core.fold;

import java.time.Instant;

import io.steward.core.event.AgentEvent;
import io.steward.core.event.DeciderEvent.ClusterRemoved;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.DeciderActive;
import io.steward.core.event.DeciderEvent.Tick;
import io.steward.core.event.CitusEvent;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.event.OperatorRequest;
import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.PartitionState;

/**
 * The one fold from log records to cluster state, used by the decider, its standbys, citus-sync and
 * the audit replay alike.
 *
 * <p>{@link #apply} is total and deterministic: any record, in any state, yields a state, and the
 * same records in the same order always yield an equal state. Time is the partition's clock, the
 * latest broker timestamp folded there, so it never goes back. A decision whose epoch is lower than
 * the highest {@link DeciderElected} of its partition is ignored (and counted), so a deposed decider
 * can change nothing.
 */
public final class ClusterFold {

    private ClusterFold() {
    }

    /**
     * The state after {@code record}, and why the record was passed over, or null when it was folded.
     *
     * @param rejection set when the record could not be folded (a value no rule expects, say): the
     *                  partition still advances past it and counts it as ignored, and nothing else
     *                  changes, so one bad record never stops the fold of any other
     */
    public record Folded(ClusterState state, String rejection) {
    }

    /** The state after {@code record}. */
    public static ClusterState apply(ClusterState state, LogRecord record) {
        return applyChecked(state, record).state();
    }

    /** The state after {@code record}, saying whether it had to be passed over (see {@link Folded}). */
    public static Folded applyChecked(ClusterState state, LogRecord record) {
        try {
            return new Folded(fold(state, record), null);
        } catch (RuntimeException e) {
            PartitionState partition = state.partition(record.partition()).advanced(record.offset(), record.timestamp());
            return new Folded(state.withPartition(partition.withIgnoredRecord()),
                    record.event().getClass().getSimpleName() + " cannot be folded: " + e);
        }
    }

    private static ClusterState fold(ClusterState state, LogRecord record) {
        PartitionState partition = state.partition(record.partition()).advanced(record.offset(), record.timestamp());
        Instant now = partition.clock();
        Event event = record.event();
        return switch (event) {
            case DeciderElected elected -> state.withPartition(
                    elected.epoch() >= partition.epoch() ? partition.withEpoch(elected.epoch()) : partition.withIgnoredRecord());
            case Tick tick -> state.withPartition(partition);
            case DeciderActive active -> state.withPartition(partition);
            case GroupDecision decision -> {
                if (decision.epoch() < partition.epoch()) {
                    yield state.withPartition(partition.withIgnoredRecord());
                }
                PartitionState current = decision.epoch() > partition.epoch() ? partition.withEpoch(decision.epoch()) : partition;
                ClusterState next = state.withPartition(current);
                if (decision instanceof ClusterRemoved removed) {
                    yield next.withoutGroup(removed.group());
                }
                yield applyToGroup(next, decision.group(), record.partition(), decision, now);
            }
            case AgentEvent agentEvent -> applyToGroup(state.withPartition(partition), agentEvent.group(),
                    record.partition(), agentEvent, now);
            case OperatorRequest request -> applyToGroup(state.withPartition(partition), request.group(),
                    record.partition(), request, now);
            case CitusEvent.CitusGroupPaused paused when state.group(paused.group())
                    .filter(group -> group.partition() == record.partition()).isPresent() ->
                    applyToGroup(state.withPartition(partition), paused.group(), record.partition(), paused, now);
            case CitusEvent citus -> state.withPartition(partition); // an audit fact; decisions do not depend on it
        };
    }

    /** Folds every record in order, starting from {@code state}. */
    public static ClusterState applyAll(ClusterState state, Iterable<LogRecord> records) {
        ClusterState current = state;
        for (LogRecord record : records) {
            current = apply(current, record);
        }
        return current;
    }

    private static ClusterState applyToGroup(ClusterState state, GroupId id, int partition, Event event, Instant now) {
        GroupState group = state.groups().get(id);
        if (group == null) {
            group = GroupState.empty(id, partition);
        } else if (group.partition() != partition) {
            group = new GroupState(id, partition, group.members(), group.bootstrap(), group.leader(), group.lease(),
                    group.config(), group.paused(), group.sync(), group.transition(), group.commands(),
                    group.requests(), group.scheduled(), group.history(), group.blockedCode(), group.commandFailures(),
                    group.citusPause(), group.stuck());
        }
        return state.withGroup(GroupFold.apply(group, event, now));
    }
}
