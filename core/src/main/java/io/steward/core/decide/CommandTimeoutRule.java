package io.steward.core.decide;

import java.time.Duration;

import io.steward.core.command.Command;
import io.steward.core.event.DeciderEvent.CommandExpired;
import io.steward.core.state.PendingCommand;

/**
 * Commands nobody answered in time count as failed, so the rules that wait for them can move on; so
 * do commands to an agent that restarted since (the new agent never reads them).
 */
final class CommandTimeoutRule {

    private CommandTimeoutRule() {
    }

    /** Expires what cannot be answered any more; returns the reason, or null when nothing expired. */
    static String apply(DecisionContext context) {
        String reason = null;
        for (PendingCommand pending : context.group.commands().values()) {
            Duration timeout = isLong(pending.command()) ? context.policy.longCommandTimeout()
                    : context.policy.commandTimeout();
            Duration waited = Duration.between(pending.issuedAt(), context.now);
            String restarted = restartedSince(context, pending);
            if (restarted != null) {
                context.emit(new CommandExpired(context.epoch(), context.group.id(), pending.command().id(),
                        pending.command().kind() + " to " + pending.command().member() + " will not be answered: "
                                + restarted));
                reason = reason == null ? "commands to a restarted agent withdrawn" : reason;
            } else if (waited.compareTo(timeout) > 0) {
                context.emit(new CommandExpired(context.epoch(), context.group.id(), pending.command().id(),
                        pending.command().kind() + " to " + pending.command().member() + " got no answer within "
                                + Format.seconds(timeout)));
                reason = "commands timed out";
            }
        }
        return reason;
    }

    /** Why the member's agent cannot answer any more, or null while it still may. */
    private static String restartedSince(DecisionContext context, PendingCommand pending) {
        if (pending.incarnation() == null) {
            return null;
        }
        return context.group.member(pending.command().member())
                .filter(member -> !member.info().incarnation().equals(pending.incarnation()))
                .map(member -> "its agent restarted (incarnation " + member.info().incarnation() + ")")
                .orElse(null);
    }

    private static boolean isLong(Command command) {
        return command instanceof Command.Bootstrap || command instanceof Command.Clone
                || command instanceof Command.Reinitialize;
    }
}
