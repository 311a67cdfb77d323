package io.steward.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.steward.core.command.Command;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.model.GroupId;

/**
 * A record written by the decider. Every one carries the decider's epoch; the fold ignores those
 * whose epoch is lower than the highest {@link DeciderElected} seen in the same partition, so a
 * deposed decider can change nothing.
 */
public sealed interface DeciderEvent extends Event {

    long epoch();

    /** A record about the log partition itself rather than one group; written to every partition. */
    sealed interface PartitionControl extends DeciderEvent {
    }

    /** A decision about one group. */
    sealed interface GroupDecision extends DeciderEvent {
        GroupId group();
    }

    /** A decider instance won the election; its first record as leader, in every partition. */
    record DeciderElected(long epoch, String instance) implements PartitionControl {
    }

    /** Lets log time advance in a quiet partition. Carries nothing but its timestamp. */
    record Tick(long epoch) implements PartitionControl {
    }

    /**
     * The elected decider has read back its {@code DeciderElected} in every partition and decides
     * from now on: how long the takeover took, for the audit. In every partition.
     *
     * @param takeoverMillis     from winning the election to this record
     * @param foldedRecords      records this instance folded since it started, snapshot tails included
     * @param snapshotPartitions partitions whose snapshot it started from (the others were replayed in full)
     */
    record DeciderActive(long epoch, String instance, long takeoverMillis, long foldedRecords, int snapshotPartitions)
            implements PartitionControl {
    }

    /**
     * The group's leader lease in etcd changed, as the decider observed it.
     *
     * @param holder   the member holding it, or null when nobody does
     * @param revision the etcd revision of the change
     * @param cause    "acquired", "expired", "revoked", ...
     */
    record LeaderLeaseChanged(long epoch, GroupId group, String holder, long revision, String cause)
            implements GroupDecision {
    }

    /** {@code member} will create the group's data (the bootstrap race has exactly one winner). */
    record BootstrapDecided(long epoch, GroupId group, String member, boolean adoptExistingData, String reason)
            implements GroupDecision {
    }

    /** {@code member} is held failed until it is heard from again. */
    record MemberDeclaredFailed(long epoch, GroupId group, String member, String reason) implements GroupDecision {
    }

    /** Why a leader changes without a switchover. */
    enum FailoverKind { AUTOMATIC, MANUAL }

    /** {@code newLeader} replaces {@code oldLeader} (null when there was none). */
    record FailoverDecided(long epoch, GroupId group, String oldLeader, String newLeader, FailoverKind kind,
                           String requestId, String reason, List<Evidence> evidence) implements GroupDecision {
        public FailoverDecided {
            Objects.requireNonNull(newLeader, "newLeader");
            evidence = List.copyOf(evidence);
        }
    }

    /** {@code newLeader} reported its promotion on {@code timeline}: the failover is over. */
    record FailoverCompleted(long epoch, GroupId group, String oldLeader, String newLeader, int timeline,
                             String requestId, String reason) implements GroupDecision {
    }

    /**
     * The leader is gone but nobody can replace it; {@code code} identifies the situation so the
     * decider records it once, not on every tick.
     */
    record FailoverBlocked(long epoch, GroupId group, String leader, String code, String reason,
                           List<Evidence> evidence) implements GroupDecision {
        public FailoverBlocked {
            evidence = List.copyOf(evidence);
        }
    }

    /** A switchover from {@code from} to {@code to} began: {@code from} is being demoted gracefully. */
    record SwitchoverStarted(long epoch, GroupId group, String from, String to, String requestId, String reason,
                             List<Evidence> evidence) implements GroupDecision {
        public SwitchoverStarted {
            evidence = List.copyOf(evidence);
        }
    }

    /** The switchover finished: {@code to} is the primary. */
    record SwitchoverCompleted(long epoch, GroupId group, String from, String to, String requestId, String reason)
            implements GroupDecision {
    }

    /** The switchover stopped before {@code to} became primary. */
    record SwitchoverAborted(long epoch, GroupId group, String from, String to, String requestId, String reason)
            implements GroupDecision {
    }

    /**
     * The members that may be promoted without losing an acknowledged commit (Patroni's /sync key).
     *
     * @param quorum in quorum mode, how many of {@code standbys} besides the candidate must be seen
     */
    record SynchronousStandbysChanged(long epoch, GroupId group, String leader, List<String> standbys, int quorum,
                                      String reason) implements GroupDecision {
        public SynchronousStandbysChanged {
            standbys = List.copyOf(standbys);
        }
    }

    /** The dynamic configuration became {@code config} at {@code version}, by {@code patch}. */
    record ConfigurationChanged(long epoch, GroupId group, long version, ConfigTree patch, ConfigTree config,
                                String actor, String requestId) implements GroupDecision {
    }

    /** Maintenance mode was switched on (paused) or off. */
    record MaintenanceModeChanged(long epoch, GroupId group, boolean paused, String actor, String requestId)
            implements GroupDecision {
    }

    /** An action will run at {@code at}. */
    record ScheduledActionSet(long epoch, GroupId group, ActionKind action, Instant at, OperatorRequest request)
            implements GroupDecision {
    }

    /** A scheduled action was dropped. */
    record ScheduledActionCancelled(long epoch, GroupId group, ActionKind action, String requestId, String reason)
            implements GroupDecision {
    }

    /** A command was sent to an agent (the same command travels on the commands topic). */
    record CommandIssued(long epoch, Command command, String reason) implements GroupDecision {
        public GroupId group() {
            return command.header().group();
        }
    }

    /** A command got no outcome in time; it counts as failed. */
    record CommandExpired(long epoch, GroupId group, String commandId, String reason) implements GroupDecision {
    }

    /**
     * The answer to an operator request, with an HTTP status as Patroni would give it (200 done,
     * 202 accepted or scheduled, 400 invalid, 409 conflict, 412 not possible now, 503 failed).
     */
    record RequestAnswered(long epoch, GroupId group, String requestId, int status, String message)
            implements GroupDecision {
    }

    /** What a Citus worker primary's planned stop is. */
    enum PlannedStop { DEMOTE, RESTART }

    /**
     * A Citus worker group's primary is about to stop as planned ({@code action}); before it does,
     * citus-sync is asked to pause the group on the coordinator so that statements through the
     * coordinator wait instead of failing. The decider holds the stop until citus-sync reports the
     * group paused ({@link CitusEvent.CitusGroupPaused} naming {@code requestId}), or until its wait
     * runs out.
     *
     * @param member         the primary that will stop
     * @param requestId      the operator request the stop serves
     * @param restartTimeout for a restart, the request's timeout in seconds; otherwise null
     */
    record CitusPauseRequested(long epoch, GroupId group, PlannedStop action, String member, String requestId,
                               Integer restartTimeout, String reason) implements GroupDecision {
        public CitusPauseRequested {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /**
     * The decision rules failed on the group's state ({@code reason} names the failure), and no
     * single input could be blamed and dropped. Nothing is decided for the group until its state
     * changes; every other group goes on. Recorded once per failure, for the audit and alerting.
     */
    record GroupStuck(long epoch, GroupId group, String reason) implements GroupDecision {
        public GroupStuck {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The decision rules decide for a group that was stuck again. */
    record GroupUnstuck(long epoch, GroupId group, String reason) implements GroupDecision {
    }

    /** The group was removed on request; its state is dropped. */
    record ClusterRemoved(long epoch, GroupId group, String actor, String requestId) implements GroupDecision {
    }
}
