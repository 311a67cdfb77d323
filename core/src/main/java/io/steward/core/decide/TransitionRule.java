package io.steward.core.decide;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.steward.core.command.Command;
import io.steward.core.command.Command.DemoteMode;
import io.steward.core.decide.Candidates.Assessment;
import io.steward.core.decide.Candidates.Purpose;
import io.steward.core.event.DeciderEvent.CommandExpired;
import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.PlannedStop;
import io.steward.core.event.DeciderEvent.SwitchoverAborted;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberState;
import io.steward.core.state.LeaderLease;
import io.steward.core.state.Transition;
import io.steward.core.state.Transition.Demotion;
import io.steward.core.state.Transition.Promotion;

/**
 * Moves a change of leader along: a switchover's clean shutdown, then the promotion of a candidate
 * that has received the shutdown checkpoint (so no committed transaction is lost), then completion;
 * or the end of an attempt that failed.
 */
final class TransitionRule {

    private TransitionRule() {
    }

    static String apply(DecisionContext context) {
        return switch (context.group.transition()) {
            case Promotion promotion -> promotion(context, promotion);
            case Demotion demotion -> demotion(context, demotion);
        };
    }

    private static String promotion(DecisionContext context, Promotion promotion) {
        String to = promotion.to();
        if (promotion.isPromoted()) {
            String reason = to + " is the primary on timeline " + promotion.timeline() + ", "
                    + Format.seconds(Duration.between(promotion.startedAt(), promotion.promotedAt()))
                    + " after the decision";
            if (promotion.kind() == Transition.Kind.SWITCHOVER) {
                context.emit(new SwitchoverCompleted(context.epoch(), context.group.id(), promotion.from(), to,
                        promotion.requestId(), reason));
            } else {
                context.emit(new FailoverCompleted(context.epoch(), context.group.id(), promotion.from(), to,
                        promotion.timeline(), promotion.requestId(), reason));
            }
            return reason;
        }
        if (promotion.commandId() == null) {
            String reason = "promote " + to + " (" + promotion.reason() + ")";
            context.issue(new Command.Promote(context.header(to), null), reason);
            return reason;
        }
        if (context.group.commands().containsKey(promotion.commandId())) {
            String lost = lostDuringPromotion(context, promotion);
            if (lost != null) {
                context.emit(new CommandExpired(context.epoch(), context.group.id(), promotion.commandId(), lost));
                return lost;
            }
            return "waiting for " + to + " to promote ("
                    + Format.seconds(Duration.between(promotion.startedAt(), context.now)) + ")";
        }
        String reason = to + "'s promote command ended without a promotion";
        if (promotion.kind() == Transition.Kind.SWITCHOVER) {
            context.emit(new SwitchoverAborted(context.epoch(), context.group.id(), promotion.from(), to,
                    promotion.requestId(), reason));
        } else {
            context.emit(new FailoverBlocked(context.epoch(), context.group.id(), promotion.from(),
                    "promotion-failed|" + to + "|" + promotion.commandId(), reason, List.of()));
        }
        return reason;
    }

    /**
     * The target died while promoting: it fell silent, and the leader lease became free after the
     * promotion began (it took the lease and lost it, or never reached etcd). Waiting for its answer
     * would only hold the group without a primary until the command times out. Null otherwise.
     */
    private static String lostDuringPromotion(DecisionContext context, Promotion promotion) {
        MemberState target = context.group.members().get(promotion.to());
        LeaderLease lease = context.group.lease();
        if (target == null || context.isFresh(target) || !lease.isFree() || lease.since() == null
                || !lease.since().isAfter(promotion.startedAt())) {
            return null;
        }
        return promotion.to() + " fell silent while promoting (no report for "
                + Format.seconds(target.silence(context.now)) + ") and the leader lease is free: the promotion failed";
    }

    private static String demotion(DecisionContext context, Demotion demotion) {
        String from = demotion.from();
        if (demotion.commandId() == null) {
            if (context.group.citusPause() != null) {
                return CitusPauseRule.apply(context);
            }
            if (demotion.requestId() != null && CitusPauseRule.wanted(context, from)) {
                return CitusPauseRule.request(context, PlannedStop.DEMOTE, from, demotion.requestId(), null,
                        demotion.reason());
            }
            String reason = "demote " + from + " gracefully (" + demotion.reason() + ")";
            context.issue(new Command.Demote(context.header(from), DemoteMode.GRACEFUL), reason);
            return reason;
        }
        if (demotion.checkpoint() == null) {
            if (context.group.commands().containsKey(demotion.commandId())) {
                return "waiting for " + from + " to shut down cleanly ("
                        + Format.seconds(Duration.between(demotion.startedAt(), context.now)) + ")";
            }
            String reason = from + " could not be demoted; it stays the leader";
            context.emit(new SwitchoverAborted(context.epoch(), context.group.id(), from, demotion.to(),
                    demotion.requestId(), reason));
            return reason;
        }
        Lsn reference = Lsn.max(demotion.checkpoint(), Candidates.reference(context));
        List<Assessment> assessments = Candidates.assess(context,
                demotion.manual() ? Purpose.MANUAL : Purpose.SWITCHOVER, from, reference);
        if (!demotion.manual()) {
            assessments = LeaderRule.quorumFiltered(context, assessments);
        }
        Optional<Assessment> chosen = demotion.to() == null ? Candidates.best(assessments)
                : assessments.stream().filter(a -> a.name().equals(demotion.to())).findFirst().filter(Assessment::eligible);
        if (chosen.isEmpty()) {
            String reason = "no member can take over after " + from + " shut down: "
                    + Candidates.explainIneligible(assessments);
            context.emit(new SwitchoverAborted(context.epoch(), context.group.id(), from, demotion.to(),
                    demotion.requestId(), reason));
            return reason;
        }
        MemberState target = chosen.get().member();
        Lsn checkpoint = demotion.checkpoint().equals(Lsn.ZERO) ? null : demotion.checkpoint();
        String reason = from + " shut down" + (checkpoint == null ? "" : " at checkpoint " + checkpoint)
                + ": promoting " + target.name() + (checkpoint == null ? "" : " once it has received it");
        context.issue(new Command.Promote(context.header(target.name()), checkpoint), reason);
        LeaderRule.followNewLeader(context, target);
        return reason;
    }
}
