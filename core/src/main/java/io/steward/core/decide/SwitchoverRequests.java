package io.steward.core.decide;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.steward.core.command.Command;
import io.steward.core.command.Command.DemoteMode;
import io.steward.core.config.DynamicConfig.SynchronousMode;
import io.steward.core.decide.Candidates.Assessment;
import io.steward.core.decide.Candidates.Purpose;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.PlannedStop;
import io.steward.core.event.DeciderEvent.ScheduledActionSet;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.FailoverRequested;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.core.model.MemberState;
import io.steward.core.state.OpenRequest;

/**
 * Switchover and manual failover requests, validated as Patroni validates them (its REST status
 * codes and messages), then started: a graceful demotion of the leader followed by the promotion
 * of a candidate that has received the shutdown checkpoint.
 */
final class SwitchoverRequests {

    /** A refusal, with Patroni's status code. */
    record Refusal(int status, String message) {
    }

    private SwitchoverRequests() {
    }

    static String switchover(DecisionContext context, OpenRequest open, SwitchoverRequested request) {
        Refusal refusal = staticChecks(context, request);
        if (refusal != null) {
            return RequestRule.answer(context, request, refusal.status(), refusal.message());
        }
        if (request.scheduledAt() != null && request.scheduledAt().isAfter(context.now)) {
            if (context.group.scheduled().containsKey(ActionKind.SWITCHOVER)) {
                return RequestRule.answer(context, request, 409, "a switchover is already scheduled at "
                        + context.group.scheduled().get(ActionKind.SWITCHOVER).at());
            }
            context.emit(new ScheduledActionSet(context.epoch(), context.group.id(), ActionKind.SWITCHOVER,
                    request.scheduledAt(), request));
            return RequestRule.answer(context, request, 202, "Switchover scheduled at " + request.scheduledAt());
        }
        return start(context, request, request.leader(), request.candidate(), false);
    }

    /** Runs a scheduled switchover whose time has come; refusals cancel it. */
    static String runScheduled(DecisionContext context, SwitchoverRequested request) {
        return start(context, request, request.leader(), request.candidate(), true);
    }

    static String failover(DecisionContext context, OpenRequest open, FailoverRequested request) {
        String candidate = request.candidate();
        if (candidate == null || candidate.isBlank()) {
            return RequestRule.answer(context, request, 400, "Failover could be performed only to a specific candidate");
        }
        if (context.group.transition() != null) {
            return RequestRule.answer(context, request, 409, inProgress(context));
        }
        MemberState member = context.group.members().get(candidate);
        if (member == null) {
            return RequestRule.answer(context, request, 412, "candidate " + candidate + " does not exist");
        }
        if (!member.tags().canFailover()) {
            return RequestRule.answer(context, request, 412, "failover is not possible: " + candidate
                    + " is not allowed to promote (" + (member.tags().nofailover() ? "nofailover" : "failover_priority 0")
                    + ")");
        }
        if (context.leaderHealthy()) {
            if (candidate.equals(context.group.leader())) {
                return RequestRule.answer(context, request, 412, candidate + " is already the leader");
            }
            return start(context, request, context.group.leader(), candidate, false);
        }
        Assessment assessment = Candidates.assess(context, Purpose.MANUAL, member, Candidates.reference(context));
        if (!assessment.eligible()) {
            return RequestRule.answer(context, request, 412, "failover is not possible: " + candidate + " "
                    + assessment.note());
        }
        String leader = context.group.leader();
        if (leader != null && context.group.lease().isHeldBy(leader)) {
            Duration waited = Duration.between(open.receivedAt(), context.now);
            if (waited.compareTo(context.policy.manualFailoverWait()) > 0) {
                return RequestRule.answer(context, request, 503, leader + " still holds the leader lease after "
                        + Format.seconds(waited) + "; failover to " + candidate + " gave up");
            }
            return "manual failover to " + candidate + " waits for " + leader + "'s leader lease to go";
        }
        String reason = "manual failover to " + candidate + " requested by " + request.header().actor()
                + (leader == null ? "" : "; the leader " + leader + " has no lease");
        context.emit(new FailoverDecided(context.epoch(), context.group.id(), leader, candidate, FailoverKind.MANUAL,
                request.requestId(), reason, List.of(assessment.evidence(context))));
        context.issue(new Command.Promote(context.header(candidate), null), reason);
        LeaderRule.followNewLeader(context, member);
        return RequestRule.answer(context, request, 202, "failover to " + candidate + " started");
    }

    /** Checks that do not depend on the members' current health (Patroni's 400s). */
    private static Refusal staticChecks(DecisionContext context, SwitchoverRequested request) {
        if (request.leader() == null || request.leader().isBlank()) {
            return new Refusal(400, "Switchover could be performed only from a specific leader");
        }
        if (request.scheduledAt() != null && context.group.paused()) {
            return new Refusal(400, "Can't schedule switchover in the paused state");
        }
        if (context.group.paused() && request.candidate() == null) {
            return new Refusal(400, "Switchover is possible only to a specific candidate in a paused state");
        }
        if (request.leader().equals(request.candidate())) {
            return new Refusal(400, "Switchover target and source are the same");
        }
        return null;
    }

    /** Checks against the group now (Patroni's 412s), then the start: graceful demotion of the leader. */
    private static String start(DecisionContext context, OperatorRequest request, String leader, String candidate,
                                boolean scheduled) {
        boolean manual = request instanceof FailoverRequested;
        Refusal refusal = feasibility(context, leader, candidate, manual);
        if (refusal != null) {
            return scheduled ? RequestRule.cancelScheduled(context, ActionKind.SWITCHOVER, request,
                    "scheduled switchover is not possible: " + refusal.message())
                    : RequestRule.answer(context, request, refusal.status(), refusal.message());
        }
        List<Assessment> assessments = LeaderRule.quorumFiltered(context, Candidates.assess(context,
                manual ? Purpose.MANUAL : Purpose.SWITCHOVER, leader, Candidates.reference(context)));
        Optional<Assessment> target = candidate == null ? Candidates.best(assessments)
                : assessments.stream().filter(a -> a.name().equals(candidate)).findFirst();
        String to = target.map(Assessment::name).orElse(candidate);
        String reason = (scheduled ? "scheduled " : "") + (manual ? "failover" : "switchover") + " from " + leader
                + " to " + to + " requested by " + request.header().actor() + ": demoting " + leader
                + " gracefully so " + to + " receives every commit";
        context.emit(new SwitchoverStarted(context.epoch(), context.group.id(), leader, candidate == null ? null : to,
                request.requestId(), reason, Candidates.evidence(context, assessments)));
        if (CitusPauseRule.wanted(context, leader)) {
            CitusPauseRule.request(context, PlannedStop.DEMOTE, leader, request.requestId(), null, reason);
        } else {
            context.issue(new Command.Demote(context.header(leader), DemoteMode.GRACEFUL), reason);
        }
        if (scheduled) {
            return reason;
        }
        return RequestRule.answer(context, request, 202, (manual ? "failover" : "switchover") + " from " + leader
                + " to " + to + " started");
    }

    /**
     * Whether a switchover from {@code leader} (to {@code candidate}, if named) is possible now. A
     * manual failover may name an asynchronous or lagging candidate.
     */
    static Refusal feasibility(DecisionContext context, String leader, String candidate, boolean manual) {
        if (context.group.transition() != null) {
            return new Refusal(409, inProgress(context));
        }
        if (!context.group.isInitialized()) {
            return new Refusal(412, "the cluster is not initialized yet");
        }
        if (!leader.equals(context.group.leader()) || !context.leaderHealthy()) {
            return new Refusal(412, "leader name does not match"
                    + (context.group.leader() == null ? ": the group has no leader"
                    : ": the leader is " + context.group.leader() + (context.leaderHealthy() ? "" : " and it is not healthy")));
        }
        boolean syncOn = !manual && context.config().synchronousMode() == SynchronousMode.ON;
        if (candidate != null) {
            MemberState member = context.group.members().get(candidate);
            if (member == null) {
                return new Refusal(412, "candidate " + candidate + " does not exist");
            }
            if (syncOn && !context.group.sync().contains(candidate)) {
                return new Refusal(412, "candidate name does not match with sync_standby: " + candidate
                        + " is not a synchronous standby (" + syncStandbys(context) + ")");
            }
        } else if (syncOn && context.group.sync().standbys().isEmpty()) {
            return new Refusal(412, "switchover is not possible: can not find sync_standby");
        }
        if (context.group.members().size() < 2) {
            return new Refusal(412, "switchover is not possible: cluster does not have members except leader");
        }
        List<Assessment> assessments = Candidates.assess(context, manual ? Purpose.MANUAL : Purpose.SWITCHOVER, leader,
                Candidates.reference(context));
        if (!manual) {
            assessments = LeaderRule.quorumFiltered(context, assessments);
        }
        if (candidate != null) {
            Assessment assessment = assessments.stream().filter(a -> a.name().equals(candidate)).findFirst().orElseThrow();
            return assessment.eligible() ? null
                    : new Refusal(412, "switchover is not possible: " + candidate + " " + assessment.note());
        }
        return Candidates.best(assessments).isPresent() ? null
                : new Refusal(412, "switchover is not possible: no good candidates have been found ("
                + Candidates.explainIneligible(assessments) + ")");
    }

    private static String syncStandbys(DecisionContext context) {
        List<String> standbys = context.group.sync().standbys();
        return standbys.isEmpty() ? "there is none" : "they are " + String.join(", ", standbys);
    }

    private static String inProgress(DecisionContext context) {
        var transition = context.group.transition();
        return "a " + transition.kind().name().toLowerCase().replace('_', ' ') + " from " + transition.from() + " to "
                + (transition.to() == null ? "the best candidate" : transition.to()) + " is in progress";
    }
}
