package io.steward.core.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.config.DynamicConfig;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.model.MemberState;
import io.steward.core.state.GroupState;
import io.steward.core.state.PartitionState;

/**
 * One call of the decider for one group: the inputs, and the records the rules produce.
 *
 * <p>Command ids are deterministic: epoch, partition, log position, group and a counter, so
 * deciding again on the same log prefix yields the same ids.
 */
final class DecisionContext {

    final GroupState group;
    final PartitionState partition;
    final Instant now;
    final DecisionPolicy policy;
    private final List<GroupDecision> events = new ArrayList<>();
    private int commandCounter;

    DecisionContext(GroupState group, PartitionState partition, Instant now, DecisionPolicy policy) {
        this.group = group;
        this.partition = partition;
        this.now = now;
        this.policy = policy;
    }

    long epoch() {
        return partition.epoch();
    }

    DynamicConfig config() {
        return group.config();
    }

    Duration ttl() {
        return group.config().ttl();
    }

    /** Heard from within ttl and not held failed. */
    boolean isFresh(MemberState member) {
        return member.isFresh(now, ttl());
    }

    /** The leader's member state, if the group has a leader. */
    java.util.Optional<MemberState> leader() {
        return group.leaderMember();
    }

    /** The leader is heard from, runs as primary, and holds the leader lease. */
    boolean leaderHealthy() {
        return leader().filter(this::isFresh).filter(m -> m.observation().isRunningPrimary())
                .filter(m -> group.lease().isHeldBy(m.name())).isPresent();
    }

    /** A Follow command making {@code member} stream from {@code upstream}. */
    io.steward.core.command.Command.Follow follow(String member, MemberState upstream) {
        return new io.steward.core.command.Command.Follow(header(member), upstream.name(), upstream.endpoints(),
                io.steward.core.model.SlotNames.forMember(member), config().usePgRewind());
    }

    /** Whether a command to {@code member} failed too recently to try again. */
    boolean inBackoff(String member) {
        Instant failed = group.commandFailures().get(member);
        return failed != null && Duration.between(failed, now).compareTo(policy.retryBackoff()) < 0;
    }

    /** A header for a new command to {@code member}. */
    CommandHeader header(String member) {
        String id = "e" + epoch() + "." + partition.partition() + "." + partition.position() + "." + group.id().key()
                + "." + commandCounter++;
        return new CommandHeader(id, epoch(), group.id(), member);
    }

    /** Records a decision event. */
    DecisionContext emit(GroupDecision event) {
        events.add(event);
        return this;
    }

    /** Records a command (as a {@link CommandIssued} event). */
    DecisionContext issue(Command command, String reason) {
        return emit(new CommandIssued(epoch(), command, reason));
    }

    boolean hasEvents() {
        return !events.isEmpty();
    }

    /** The decision made of what was emitted. */
    Decision decision(String reason) {
        return new Decision(events, reason);
    }
}
