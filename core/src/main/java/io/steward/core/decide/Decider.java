package io.steward.core.decide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.GroupStuck;
import io.steward.core.event.DeciderEvent.GroupUnstuck;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.model.GroupId;
import io.steward.core.model.MemberState;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.OpenRequest;
import io.steward.core.state.PartitionState;

/**
 * The decision function: what to do about one group, given the folded state and the log's time.
 *
 * <p>Pure and deterministic: no clock, no I/O; the same state, time and policy always give the same
 * decision, byte for byte (command ids included). A decision is one step (a failover decided, a
 * switchover moved along, a request answered, a batch of replicas told whom to follow); the next
 * step is decided once its records have been read back from the log and folded. Deciding again on
 * a state that already contains a decision's records yields nothing new.
 *
 * <p>The rules run in this order, and the first that has something to do wins: commands that timed
 * out; bootstrap; a Citus worker primary's planned stop held for the coordinator's pause; a change
 * of leader in progress; members falling silent; operator requests; the
 * leader's health (crash recovery and failover); scheduled actions; synchronous standbys;
 * replicas; configuration.
 */
public final class Decider {

    private Decider() {
    }

    /**
     * Decides for {@code group} at {@code now}, stamping the partition's epoch.
     *
     * <p>Never throws for a state the fold can make. When a rule fails on it (a value it did not
     * expect), the failure is contained here, deterministically, so that replay reproduces it: if
     * the group decides without its open requests, the oldest request is to blame and is answered
     * with 500 and dropped ({@link Decision#rejected()}); otherwise the group is recorded as stuck
     * once ({@link GroupStuck}) and nothing is decided for it until its state changes.
     */
    public static Decision decide(ClusterState state, GroupId group, Instant now, DecisionPolicy policy) {
        GroupState groupState = state.group(group).orElse(null);
        if (groupState == null) {
            return Decision.none("no such group: " + group);
        }
        PartitionState partition = state.partition(groupState.partition());
        DecisionContext context = new DecisionContext(groupState, partition, now, policy);
        String reason;
        try {
            reason = run(context);
        } catch (RuntimeException | AssertionError e) {
            return contained(groupState, partition, now, policy, e);
        }
        Decision decision = context.decision(reason);
        if (groupState.stuck() != null) {
            List<GroupDecision> events = new ArrayList<>();
            events.add(new GroupUnstuck(partition.epoch(), group, "deciding again: " + reason));
            events.addAll(decision.events());
            return new Decision(events, reason);
        }
        return decision;
    }

    private static Decision contained(GroupState group, PartitionState partition, Instant now, DecisionPolicy policy,
                                      Throwable failure) {
        String what = describe(failure);
        if (!group.requests().isEmpty()) {
            OpenRequest oldest = group.requests().get(0);
            boolean blamed;
            try {
                run(new DecisionContext(group.withRequests(List.of()), partition, now, policy));
                blamed = true;
            } catch (RuntimeException | AssertionError e) {
                blamed = false;
            }
            if (blamed) {
                String message = "the decider cannot carry out this request (" + what + "); it is dropped";
                String id = oldest.request().requestId();
                // nothing of the request but its id is trusted here: its other values broke the rules
                return new Decision(List.of(new RequestAnswered(partition.epoch(), group.id(), id, 500, message)),
                        "request " + id + " rejected: " + message, List.of(id));
            }
        }
        String reason = "the decision rules fail on this group's state: " + what;
        if (reason.equals(group.stuck())) {
            return Decision.none("stuck: " + reason);
        }
        return new Decision(List.of(new GroupStuck(partition.epoch(), group.id(), reason)), reason);
    }

    /**
     * A failure as the records name it: its class and the rule's method that failed, and nothing
     * that depends on the runtime (an exception's message can: helpful NullPointerException
     * messages, identity hashes), so that replaying the log on another JVM makes the same records.
     */
    static String describe(Throwable failure) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.steward.core.")) {
                String type = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
                return failure.getClass().getName() + " in " + type + "." + frame.getMethodName();
            }
        }
        return failure.getClass().getName();
    }

    private static String run(DecisionContext context) {
        String expired = CommandTimeoutRule.apply(context);
        if (expired != null) {
            return expired;
        }
        GroupState group = context.group;
        if (!group.isInitialized()) {
            String requests = group.requests().isEmpty() ? null : RequestRule.apply(context);
            return context.hasEvents() ? requests : BootstrapRule.apply(context);
        }
        if (group.transition() == null) {
            String citus = CitusPauseRule.apply(context);
            if (context.hasEvents()) {
                return citus;
            }
        }
        if (group.transition() != null) {
            String transition = TransitionRule.apply(context);
            if (context.hasEvents()) {
                return transition;
            }
            String requests = RequestRule.apply(context);
            return context.hasEvents() ? requests : transition;
        }
        FailureRule.apply(context);
        if (context.hasEvents()) {
            return "members fell silent";
        }
        String requests = RequestRule.apply(context);
        if (requests != null) {
            return requests;
        }
        String leader = LeaderRule.apply(context);
        if (leader != null) {
            return leader;
        }
        if (group.paused()) {
            return "PAUSE: no action. " + group.leader() + " is the leader with the lease";
        }
        String scheduled = ScheduledRule.apply(context);
        if (scheduled != null) {
            return scheduled;
        }
        String sync = SyncStandbyRule.apply(context);
        if (context.hasEvents()) {
            return sync;
        }
        List<String> replicaNotes = ReplicaRule.apply(context);
        if (context.hasEvents()) {
            return "bringing replicas in line with the leader " + group.leader();
        }
        ConfigApplyRule.apply(context);
        if (context.hasEvents()) {
            return "handing out configuration version " + context.config().version();
        }
        return status(context, sync, replicaNotes);
    }

    /** Patroni's "no action" line, with what a person on call would check first. */
    private static String status(DecisionContext context, String sync, List<String> notes) {
        List<String> replicas = new ArrayList<>();
        for (MemberState member : context.group.members().values()) {
            if (!member.name().equals(context.group.leader())) {
                replicas.add(member.name() + " " + (context.isFresh(member)
                        ? member.observation().state().patroniName() + (member.observation().upstream() == null ? ""
                        : " from " + member.observation().upstream()) : "silent"));
            }
        }
        StringBuilder line = new StringBuilder("no action: ").append(context.group.leader())
                .append(" is the leader with the lease");
        if (!replicas.isEmpty()) {
            line.append("; ").append(String.join(", ", replicas));
        }
        if (sync != null) {
            line.append("; ").append(sync);
        }
        for (String note : notes) {
            line.append("; ").append(note);
        }
        return line.toString();
    }
}
