package io.steward.core.decide;

import java.time.Duration;

import io.steward.core.command.Command;
import io.steward.core.command.Command.DemoteMode;
import io.steward.core.event.DeciderEvent.CitusPauseRequested;
import io.steward.core.event.DeciderEvent.PlannedStop;
import io.steward.core.state.CitusPause;

/**
 * Planned stops of a Citus worker group's primary (the demotion of a switchover, a restart) wait
 * until citus-sync has paused the group on the coordinator, so that statements through the
 * coordinator wait for the new (or restarted) primary instead of failing against the stopping one.
 * The decider asks for the pause ({@link CitusPauseRequested}), citus-sync takes it and reports it,
 * and only then does the stop go out; if no report comes within the policy's
 * {@code citusPauseWait} (no citus-sync runs, or the coordinator is unreachable), the stop goes out
 * anyway and the decision says why. The coordinator group and plain clusters (group 0) never wait.
 */
final class CitusPauseRule {

    private CitusPauseRule() {
    }

    /** Whether a planned stop of {@code member} should first have its group paused on the coordinator. */
    static boolean wanted(DecisionContext context, String member) {
        return context.group.id().group() > 0 && context.policy.citusPauseWait().isPositive()
                && member.equals(context.group.leader()) && context.leaderHealthy();
    }

    /** Asks citus-sync to pause the group before {@code action} of {@code member}; returns the reason. */
    static String request(DecisionContext context, PlannedStop action, String member, String requestId,
                          Integer restartTimeout, String reason) {
        String why = "pausing Citus group " + context.group.id().group() + " on the coordinator before the "
                + verb(action) + " of " + member + " (" + reason + "), so statements wait instead of failing";
        context.emit(new CitusPauseRequested(context.epoch(), context.group.id(), action, member, requestId,
                restartTimeout, why));
        return why;
    }

    /** Issues the held stop once the group is paused or the wait is over; null when no stop is held. */
    static String apply(DecisionContext context) {
        CitusPause pause = context.group.citusPause();
        if (pause == null) {
            return null;
        }
        Duration waited = Duration.between(pause.requestedAt(), context.now);
        String why;
        if (pause.isPaused()) {
            why = "citus-sync reports Citus group " + context.group.id().group() + " paused ("
                    + pause.pausedBy() + ", " + Format.seconds(Duration.between(pause.requestedAt(), pause.pausedAt()))
                    + " after it was asked)";
        } else if (waited.compareTo(context.policy.citusPauseWait()) >= 0) {
            why = "citus-sync did not report Citus group " + context.group.id().group() + " paused within "
                    + Format.seconds(context.policy.citusPauseWait()) + "; going on without the pause (statements "
                    + "through the coordinator to " + pause.member() + " may fail)";
        } else {
            return "waiting for citus-sync to pause Citus group " + context.group.id().group() + " before the "
                    + verb(pause.action()) + " of " + pause.member() + " (" + Format.seconds(waited) + ")";
        }
        Command stop = switch (pause.action()) {
            case DEMOTE -> new Command.Demote(context.header(pause.member()), DemoteMode.GRACEFUL);
            case RESTART -> new Command.Restart(context.header(pause.member()), pause.restartTimeout(), pause.reason());
        };
        String reason = why + ": " + verb(pause.action()) + " of " + pause.member();
        context.issue(stop, reason);
        return reason;
    }

    private static String verb(PlannedStop action) {
        return switch (action) {
            case DEMOTE -> "graceful demotion";
            case RESTART -> "restart";
        };
    }
}
