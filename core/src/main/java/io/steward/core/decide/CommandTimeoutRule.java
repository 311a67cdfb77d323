package io.steward.core.decide;

import java.time.Duration;

import io.steward.core.command.Command;
import io.steward.core.event.DeciderEvent.CommandExpired;
import io.steward.core.state.PendingCommand;

/** Commands nobody answered in time count as failed, so the rules that wait for them can move on. */
final class CommandTimeoutRule {

    private CommandTimeoutRule() {
    }

    static void apply(DecisionContext context) {
        for (PendingCommand pending : context.group.commands().values()) {
            Duration timeout = isLong(pending.command()) ? context.policy.longCommandTimeout()
                    : context.policy.commandTimeout();
            Duration waited = Duration.between(pending.issuedAt(), context.now);
            if (waited.compareTo(timeout) > 0) {
                context.emit(new CommandExpired(context.epoch(), context.group.id(), pending.command().id(),
                        pending.command().kind() + " to " + pending.command().member() + " got no answer within "
                                + Format.seconds(timeout)));
            }
        }
    }

    private static boolean isLong(Command command) {
        return command instanceof Command.Bootstrap || command instanceof Command.Clone
                || command instanceof Command.Reinitialize;
    }
}
