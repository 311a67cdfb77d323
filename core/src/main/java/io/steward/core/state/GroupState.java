package io.steward.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

import io.steward.core.collect.Sorted;
import io.steward.core.config.DynamicConfig;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.model.GroupId;
import io.steward.core.model.MemberState;

/**
 * Everything the log says about one group, as of the last record of its partition folded.
 * Immutable; the {@code with*} methods return changed copies.
 *
 * @param id             the group
 * @param partition      the log partition its records land in
 * @param members        by name
 * @param bootstrap      who creates the data and whether it has; null before that is decided
 * @param leader         the member that is (or is becoming) the primary; null before bootstrap
 * @param lease          the leader lease as last observed in etcd
 * @param config         the dynamic configuration
 * @param paused         maintenance mode
 * @param sync           the synchronous standbys allowed to be promoted
 * @param transition     a change of leader in progress, or null
 * @param commands       commands issued and not yet answered, by id
 * @param requests       operator requests not yet answered, in log order
 * @param scheduled      accepted actions waiting for their time
 * @param history        leader changes, oldest first
 * @param blockedCode    the situation last recorded by a {@code FailoverBlocked}, or null
 * @param commandFailures member → log time of its last failed or expired command, to back off
 * @param citusPause     a Citus worker primary's planned stop waiting for the coordinator to pause the group, or null
 * @param stuck          why the decision rules failed on this group's state (recorded by a {@code GroupStuck}),
 *                       or null while they decide normally
 */
public record GroupState(GroupId id, int partition, SortedMap<String, MemberState> members, BootstrapState bootstrap,
                         String leader, LeaderLease lease, DynamicConfig config, boolean paused, SyncState sync,
                         Transition transition, SortedMap<String, PendingCommand> commands,
                         List<OpenRequest> requests, SortedMap<ActionKind, ScheduledAction> scheduled,
                         List<HistoryEntry> history, String blockedCode, SortedMap<String, Instant> commandFailures,
                         CitusPause citusPause, String stuck) {

    public GroupState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sync, "sync");
        requests = List.copyOf(requests);
        history = List.copyOf(history);
    }

    /** A group nothing is known about yet. */
    public static GroupState empty(GroupId id, int partition) {
        return new GroupState(id, partition, Sorted.empty(), null, null, LeaderLease.UNKNOWN, DynamicConfig.DEFAULT,
                false, SyncState.EMPTY, null, Sorted.empty(), List.of(), Sorted.empty(), List.of(), null,
                Sorted.empty(), null, null);
    }

    public Optional<MemberState> member(String name) {
        return Optional.ofNullable(name == null ? null : members.get(name));
    }

    /** The leader's member state, if there is a leader and it is known. */
    public Optional<MemberState> leaderMember() {
        return member(leader);
    }

    public boolean isInitialized() {
        return bootstrap != null && bootstrap.isInitialized();
    }

    /** The timeline of the group: the highest any member reported. */
    public int timeline() {
        int timeline = 0;
        for (MemberState member : members.values()) {
            timeline = Math.max(timeline, member.observation().timeline());
        }
        return timeline;
    }

    /** Whether a command for {@code member} is still unanswered. */
    public boolean hasPendingCommandFor(String member) {
        for (PendingCommand pending : commands.values()) {
            if (pending.command().member().equals(member)) {
                return true;
            }
        }
        return false;
    }

    public GroupState withMembers(SortedMap<String, MemberState> newMembers) {
        return new GroupState(id, partition, newMembers, bootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withMember(MemberState member) {
        return withMembers(Sorted.with(members, member.name(), member));
    }

    public GroupState withBootstrap(BootstrapState newBootstrap) {
        return new GroupState(id, partition, members, newBootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withLeader(String newLeader) {
        return new GroupState(id, partition, members, bootstrap, newLeader, lease, config, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withLease(LeaderLease newLease) {
        return new GroupState(id, partition, members, bootstrap, leader, newLease, config, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withConfig(DynamicConfig newConfig) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, newConfig, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withPaused(boolean newPaused) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, newPaused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withSync(SyncState newSync) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, newSync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withTransition(Transition newTransition) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, newTransition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withCommands(SortedMap<String, PendingCommand> newCommands) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                newCommands, requests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withRequests(List<OpenRequest> newRequests) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                commands, newRequests, scheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withScheduled(SortedMap<ActionKind, ScheduledAction> newScheduled) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, newScheduled, history, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withHistory(List<HistoryEntry> newHistory) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, scheduled, newHistory, blockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withBlockedCode(String newBlockedCode) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, scheduled, history, newBlockedCode, commandFailures, citusPause, stuck);
    }

    public GroupState withCommandFailures(SortedMap<String, Instant> newFailures) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, newFailures, citusPause, stuck);
    }

    public GroupState withCitusPause(CitusPause newCitusPause) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, newCitusPause, stuck);
    }

    public GroupState withStuck(String newStuck) {
        return new GroupState(id, partition, members, bootstrap, leader, lease, config, paused, sync, transition,
                commands, requests, scheduled, history, blockedCode, commandFailures, citusPause, newStuck);
    }
}
