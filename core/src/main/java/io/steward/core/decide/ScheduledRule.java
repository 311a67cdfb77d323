package io.steward.core.decide;

import java.time.Duration;
import java.util.List;

import io.steward.core.event.OperatorRequest.RestartRequested;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.core.state.ScheduledAction;

/**
 * Runs scheduled switchovers and restarts when their time comes (never in maintenance mode), and
 * drops those found too late to run, for instance after every decider was down.
 */
final class ScheduledRule {

    private ScheduledRule() {
    }

    static String apply(DecisionContext context) {
        for (ScheduledAction action : context.group.scheduled().values()) {
            if (action.at().isAfter(context.now)) {
                continue;
            }
            Duration late = Duration.between(action.at(), context.now);
            if (late.compareTo(context.policy.staleSchedule()) > 0) {
                return RequestRule.cancelScheduled(context, action.kind(), action.request(), "stale scheduled "
                        + action.kind().name().toLowerCase() + " dropped: it was due " + Format.seconds(late) + " ago");
            }
            return switch (action.request()) {
                case SwitchoverRequested switchover -> SwitchoverRequests.runScheduled(context, switchover);
                case RestartRequested restart -> {
                    List<String> restarted = RequestRule.issueRestarts(context, restart);
                    yield RequestRule.cancelScheduled(context, action.kind(), restart, restarted.isEmpty()
                            ? "Scheduled restart: restart conditions are not satisfied"
                            : "scheduled restart issued to " + String.join(", ", restarted));
                }
                default -> RequestRule.cancelScheduled(context, action.kind(), action.request(),
                        "cannot run a scheduled " + action.request().kind());
            };
        }
        return null;
    }
}
