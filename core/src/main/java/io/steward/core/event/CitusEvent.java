package io.steward.core.event;

import java.util.List;
import java.util.Objects;

import io.steward.core.model.GroupId;

/**
 * A fact reported by citus-sync about {@code pg_dist_node} on a Citus coordinator. Logged under
 * the group it is about ({@link #group()}): the coordinator group ({@code scope/0}) for topology
 * reports, which the decision fold passes over, and a worker group for its pause, which the
 * decider waits for.
 */
public sealed interface CitusEvent extends Event {

    /** The coordinator group, {@code scope/0}. */
    GroupId coordinator();

    /** The group the record is logged under (its key). */
    default GroupId group() {
        return coordinator();
    }

    /**
     * Statements through the coordinator to worker group {@code group} now wait: a coordinator
     * transaction holds the group's primary paused, as asked by a
     * {@link DeciderEvent.CitusPauseRequested} for {@code requestId}. The pause ends when the
     * transaction commits (with the new primary registered) or rolls back.
     *
     * @param member        the coordinator group's leader holding the pause
     * @param pausedPrimary the worker primary paused, {@code host:port}
     * @param waitedMillis  how long taking the pause waited for statements in flight
     */
    record CitusGroupPaused(GroupId coordinator, GroupId group, String requestId, String member, String pausedPrimary,
                            long waitedMillis, String instance) implements CitusEvent {
        public CitusGroupPaused {
            Objects.requireNonNull(coordinator, "coordinator");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /**
     * A plan was committed on the coordinator, together with the log positions it covers.
     *
     * @param member      the coordinator group's leader it was applied on
     * @param calls       the Citus calls, as SQL (empty: the table already said it)
     * @param positions   the log position of each partition the topology was read at ({@code partition:offset})
     * @param basedOn     the log time of the latest record the topology reflects (epoch millis)
     * @param millis      how long the transaction took, from BEGIN to COMMIT
     * @param instance    the citus-sync instance
     */
    record CitusTopologyApplied(GroupId coordinator, String member, List<String> calls, List<String> positions,
                                long basedOn, long millis, String instance) implements CitusEvent {
        public CitusTopologyApplied {
            Objects.requireNonNull(coordinator, "coordinator");
            calls = List.copyOf(calls);
            positions = List.copyOf(positions);
        }
    }

    /**
     * A plan could not be applied; it is tried again.
     *
     * @param member the coordinator group's leader it was tried on, or null when there was none
     * @param reason what went wrong, in the words of PostgreSQL or Citus
     */
    record CitusTopologyFailed(GroupId coordinator, String member, List<String> calls, String reason, String instance)
            implements CitusEvent {
        public CitusTopologyFailed {
            Objects.requireNonNull(coordinator, "coordinator");
            Objects.requireNonNull(reason, "reason");
            calls = List.copyOf(calls);
        }
    }
}
