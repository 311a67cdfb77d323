package io.steward.core.decide;

import io.steward.core.command.Command;
import io.steward.core.model.MemberState;
import io.steward.core.state.PendingCommand;

/** Hands the current dynamic configuration to every member that reports an older version. */
final class ConfigApplyRule {

    private ConfigApplyRule() {
    }

    static void apply(DecisionContext context) {
        long version = context.config().version();
        if (version == 0) {
            return;
        }
        for (MemberState member : context.group.members().values()) {
            if (!context.isFresh(member) || member.observation().configVersion() >= version
                    || context.inBackoff(member.name()) || hasPendingApply(context, member.name())) {
                continue;
            }
            context.issue(new Command.ApplyConfiguration(context.header(member.name()), version,
                    context.config().tree()), member.name() + " runs configuration version "
                    + member.observation().configVersion() + ", the group's is " + version);
        }
    }

    private static boolean hasPendingApply(DecisionContext context, String member) {
        for (PendingCommand pending : context.group.commands().values()) {
            if (pending.command() instanceof Command.ApplyConfiguration && pending.command().member().equals(member)) {
                return true;
            }
        }
        return false;
    }
}
