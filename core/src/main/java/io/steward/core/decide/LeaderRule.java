package io.steward.core.decide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.steward.core.command.Command;
import io.steward.core.command.Command.DemoteMode;
import io.steward.core.config.DynamicConfig.SynchronousMode;
import io.steward.core.decide.Candidates.Assessment;
import io.steward.core.decide.Candidates.Purpose;
import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberState;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.state.GroupState;
import io.steward.core.state.LeaderLease;
import io.steward.core.state.PendingCommand;

/**
 * Keeps the group led: restarts a crashed primary in place within {@code primary_start_timeout},
 * demotes it when it does not come back, and fails over once the old leader's lease is gone.
 *
 * <p>Fencing comes first: a new leader is chosen only after the old leader's lease is gone in
 * etcd (expired, or released by its agent on demotion). While the lease is held by a silent leader
 * the rule waits; its agent has stopped accepting writes before the lease could expire.
 */
final class LeaderRule {

    private LeaderRule() {
    }

    /** Null when the leader is healthy; else what is happening (with or without events emitted). */
    static String apply(DecisionContext context) {
        if (context.leaderHealthy()) {
            return null;
        }
        GroupState group = context.group;
        String leader = group.leader();
        MemberState leaderMember = leader == null ? null : group.members().get(leader);
        LeaderLease lease = group.lease();
        if (leader != null && lease.isHeldBy(leader)) {
            if (leaderMember == null || !context.isFresh(leaderMember)) {
                Duration silence = leaderMember == null ? Duration.ZERO : leaderMember.silence(context.now);
                return "waiting for " + leader + "'s leader lease to expire: no report from it for "
                        + Format.seconds(silence) + " (ttl " + Format.seconds(context.ttl()) + ")";
            }
            return leaderNotRunning(context, leaderMember);
        }
        if (lease.holder() != null) {
            return leaseHeldByAnother(context, leader, lease.holder());
        }
        if (lease.since() == null) {
            return "waiting to observe the leader lease in etcd";
        }
        if (group.paused()) {
            return "PAUSE: the leader lease is free, but automatic failover is off in maintenance mode";
        }
        return failover(context, leaderMember);
    }

    // ---- the leader holds its lease but PostgreSQL is not a running primary -------------------

    private static String leaderNotRunning(DecisionContext context, MemberState leader) {
        Observation observation = leader.observation();
        String name = leader.name();
        if (context.group.paused()) {
            return "PAUSE: " + name + "'s PostgreSQL is " + observation.state().patroniName()
                    + "; nothing is done in maintenance mode";
        }
        if (observation.isRunningReplica() && !context.group.hasPendingCommandFor(name)) {
            String reason = name + " holds the leader lease but runs as a replica: promote it";
            context.issue(new Command.Promote(context.header(name), null), reason);
            return reason;
        }
        Duration down = Duration.between(leader.stateSince(), context.now);
        Duration timeout = startTimeout(context, name);
        boolean starting = observation.state() == PgState.STARTING || observation.state() == PgState.RESTARTING
                || context.group.hasPendingCommandFor(name);
        Optional<Assessment> candidate = bestReplacement(context, name);
        boolean timedOut = down.compareTo(timeout) >= 0;
        if (candidate.isPresent() && timedOut && !hasPendingDemote(context, name)) {
            String reason = timeout.isZero()
                    ? name + "'s PostgreSQL is " + observation.state().patroniName()
                    + " and primary_start_timeout is 0: failing over to " + candidate.get().name()
                    : name + "'s PostgreSQL has not been running for " + Format.seconds(down)
                    + " (primary_start_timeout " + Format.seconds(timeout) + "): failing over to "
                    + candidate.get().name();
            context.issue(new Command.Demote(context.header(name), DemoteMode.IMMEDIATE), reason);
            return reason;
        }
        if (starting) {
            return name + "'s PostgreSQL is starting: " + Format.seconds(down) + " of " + Format.seconds(timeout)
                    + (candidate.isEmpty() ? " (no member could replace it)" : "");
        }
        if (context.inBackoff(name)) {
            return "waiting before restarting " + name + " again";
        }
        String reason = name + "'s PostgreSQL is " + observation.state().patroniName() + ": restart it in place"
                + (candidate.isEmpty() ? " (no member could replace it)"
                : " (failover to " + candidate.get().name() + " after primary_start_timeout "
                + Format.seconds(timeout) + ")");
        context.issue(new Command.Restart(context.header(name), null, "crash recovery"), reason);
        return reason;
    }

    private static Duration startTimeout(DecisionContext context, String member) {
        for (PendingCommand pending : context.group.commands().values()) {
            if (pending.command() instanceof Command.Restart restart && restart.member().equals(member)
                    && restart.timeoutSeconds() != null) {
                return Duration.ofSeconds(restart.timeoutSeconds());
            }
        }
        return context.config().primaryStartTimeout();
    }

    private static boolean hasPendingDemote(DecisionContext context, String member) {
        return context.group.commands().values().stream()
                .anyMatch(p -> p.command() instanceof Command.Demote && p.command().member().equals(member));
    }

    private static Optional<Assessment> bestReplacement(DecisionContext context, String leader) {
        List<Assessment> assessments = Candidates.assess(context, Purpose.AUTOMATIC, leader,
                Candidates.reference(context));
        return Candidates.best(quorumFiltered(context, assessments));
    }

    // ---- the lease is held by someone else ----------------------------------------------------

    private static String leaseHeldByAnother(DecisionContext context, String leader, String holder) {
        MemberState member = context.group.members().get(holder);
        if (member != null && context.isFresh(member) && member.observation().isRunningPrimary()
                && !context.group.hasPendingCommandFor(holder)) {
            String reason = holder + " holds the leader lease and runs as primary: it is the leader"
                    + (leader == null ? "" : " instead of " + leader);
            context.emit(new FailoverDecided(context.epoch(), context.group.id(), leader, holder, FailoverKind.AUTOMATIC,
                    null, reason, List.of()));
            context.issue(new Command.Promote(context.header(holder), null), reason);
            return reason;
        }
        return "waiting: the leader lease is held by " + holder + ", which is not running as primary";
    }

    // ---- the lease is free: choose a new leader ----------------------------------------------

    private static String failover(DecisionContext context, MemberState formerLeader) {
        String former = formerLeader == null ? null : formerLeader.name();
        boolean formerHeardSince = formerLeader != null && context.isFresh(formerLeader)
                && !formerLeader.lastSeen().isBefore(context.group.lease().since());
        if (formerHeardSince && formerLeader.observation().isRunningPrimary()) {
            return blocked(context, former, "former-primary-running|" + former, former
                    + " reports running as primary after it lost its lease; nobody is promoted until it stops",
                    List.of());
        }
        for (MemberState member : context.group.members().values()) {
            if (!member.name().equals(former) && context.isFresh(member) && member.observation().isRunningPrimary()) {
                return blocked(context, former, "primary-alive|" + member.name(), member.name()
                        + " still runs as primary; no other member is promoted while it does", List.of());
            }
        }
        Lsn reference = Candidates.reference(context);
        List<Assessment> assessments = new ArrayList<>(quorumFiltered(context,
                Candidates.assess(context, Purpose.AUTOMATIC, former, reference)));
        Optional<Assessment> best = Candidates.best(assessments);
        if (formerLeader != null) {
            // The lease going away proves the former leader stopped accepting writes (it fences
            // itself first). It is the last resort, and only when heard from since, stopped cleanly.
            Assessment formerAssessment = assessFormer(context, formerLeader, reference, formerHeardSince);
            assessments.add(formerAssessment);
            if (best.isEmpty() && formerAssessment.eligible()) {
                best = Optional.of(formerAssessment);
            }
        }
        if (best.isEmpty()) {
            return blocked(context, former, Candidates.code("no-candidate", assessments),
                    "no member can be promoted: " + Candidates.explainIneligible(assessments), assessments);
        }
        return promote(context, formerLeader, best.get(), assessments, formerHeardSince);
    }

    private static String promote(DecisionContext context, MemberState formerLeader, Assessment chosen,
                                  List<Assessment> assessments, boolean formerHeardSince) {
        String former = formerLeader == null ? null : formerLeader.name();
        String name = chosen.name();
        String why = formerLeader == null ? "the group has no leader"
                : "the leader lease of " + former + " is gone since "
                + Format.seconds(Duration.between(context.group.lease().since(), context.now))
                + " (last report from " + former + " " + Format.seconds(formerLeader.silence(context.now)) + " ago)";
        String reason;
        if (name.equals(former)) {
            reason = "promoting " + name + " again: " + why + ", it stopped cleanly and no other member can lead ("
                    + Candidates.explainIneligible(assessments.stream().filter(a -> !a.name().equals(former)).toList())
                    + ")";
        } else {
            reason = "promoting " + name + ": " + why + "; " + name + " has the most advanced WAL position "
                    + chosen.position() + rivals(assessments, name) + ", lag " + Format.bytes(chosen.lagBytes())
                    + " within maximum_lag_on_failover " + Format.bytes(context.config().maximumLagOnFailover());
        }
        context.emit(new FailoverDecided(context.epoch(), context.group.id(), former, name, FailoverKind.AUTOMATIC, null,
                reason, Candidates.evidence(context, assessments)));
        context.issue(new Command.Promote(context.header(name), null), reason);
        // A former leader not heard from since it lost the lease is probably gone; it is told to
        // follow once it reports again.
        followNewLeader(context, chosen.member(), formerHeardSince ? null : former);
        return reason;
    }

    /** Points every other member with data at {@code leader}, unless it already streams from it. */
    static void followNewLeader(DecisionContext context, MemberState leader) {
        followNewLeader(context, leader, null);
    }

    private static void followNewLeader(DecisionContext context, MemberState leader, String skipped) {
        for (MemberState member : context.group.members().values()) {
            if (member.name().equals(leader.name()) || member.name().equals(skipped) || !context.isFresh(member)
                    || member.observation().systemIdentifier() == null) {
                continue;
            }
            if (member.observation().isRunningReplica() && leader.name().equals(member.observation().upstream())) {
                continue;
            }
            context.issue(context.follow(member.name(), leader), "follow the new leader " + leader.name());
        }
    }

    /** The former leader as a last-resort candidate: heard from since it lost the lease, stopped cleanly as primary. */
    private static Assessment assessFormer(DecisionContext context, MemberState former, Lsn reference,
                                           boolean heardSince) {
        Assessment base = Candidates.assess(context, Purpose.AUTOMATIC, former, reference);
        Observation observation = former.observation();
        if (!heardSince) {
            return base.asIneligible("silent", "former leader, not heard from since it lost the lease");
        }
        if (context.inBackoff(former.name())) {
            return base.asIneligible("backoff", "former leader, a command to it failed recently");
        }
        if (observation.role() == Role.PRIMARY && observation.state() == PgState.STOPPED) {
            return base.asEligible("former leader, stopped cleanly as primary at " + observation.walPosition());
        }
        return base.eligible() ? base.asEligible("former leader, " + base.note())
                : base.asIneligible(base.category(), "former leader, " + base.note());
    }

    /**
     * Quorum mode: a candidate must be at least as advanced as the most advanced of any
     * {@code quorum + 1} voters heard from, so it holds every commit a quorum acknowledged.
     */
    static List<Assessment> quorumFiltered(DecisionContext context, List<Assessment> assessments) {
        if (context.config().synchronousMode() != SynchronousMode.QUORUM) {
            return assessments;
        }
        List<String> voters = context.group.sync().standbys();
        int quorum = context.group.sync().quorum();
        Lsn threshold = null;
        int heard = 0;
        for (String voter : voters) {
            MemberState member = context.group.members().get(voter);
            if (member != null && context.isFresh(member) && member.observation().walPosition() != null) {
                heard++;
                threshold = Lsn.max(threshold, member.observation().walPosition());
            }
        }
        List<Assessment> filtered = new ArrayList<>();
        for (Assessment assessment : assessments) {
            if (!assessment.eligible()) {
                filtered.add(assessment);
            } else if (voters.isEmpty() || heard < quorum + 1) {
                filtered.add(assessment.asIneligible("quorum", "only " + heard + " of " + voters.size()
                        + " quorum voters report; " + (quorum + 1) + " are needed"));
            } else if (assessment.position().compareTo(threshold) < 0) {
                filtered.add(assessment.asIneligible("quorum", "behind the quorum voters' " + threshold));
            } else {
                filtered.add(assessment);
            }
        }
        return filtered;
    }

    private static String blocked(DecisionContext context, String leader, String code, String reason,
                                  List<Assessment> assessments) {
        if (!code.equals(context.group.blockedCode())) {
            context.emit(new FailoverBlocked(context.epoch(), context.group.id(), leader, code, reason,
                    Candidates.evidence(context, assessments)));
        }
        return reason;
    }

    private static String rivals(List<Assessment> assessments, String chosen) {
        List<String> others = new ArrayList<>();
        for (Assessment assessment : assessments) {
            if (!assessment.name().equals(chosen) && assessment.position() != null) {
                others.add(assessment.name() + ": " + assessment.position());
            }
        }
        return others.isEmpty() ? "" : " (" + String.join(", ", others) + ")";
    }
}
