package io.steward.ctl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pause [SCOPE] [--wait]}: maintenance mode, no automatic action until resumed. Every group
 * of the scope unless {@code --group} names one. With {@code --wait}, polls the scope until the
 * decider shows the new state.
 */
@Command(name = "pause", description = "Disable automatic failover (maintenance mode)")
class PauseCommand extends CtlCommand {

    static final Duration POLL = Duration.ofSeconds(1);
    static final int MAX_POLLS = 30;

    @Mixin
    SharedOptions.ScopeArgument scopeArgument;

    @Option(names = "--wait", description = "Wait until the decider shows the new state")
    boolean await;

    @Override
    public Integer call() {
        return toggle(true);
    }

    int toggle(boolean paused) {
        String scope = scope(scopeArgument.name);
        String action = paused ? "pause" : "resume";
        Map<String, Object> body = new LinkedHashMap<>();
        if (group != null) {
            body.put("group", group);
        }
        DeciderClient.Reply reply = api().post(scope, action, body);
        if (!reply.isSuccess()) {
            return refused(LeaderChangeCommand.capitalized(action), reply);
        }
        String done = "Success: cluster management is " + (paused ? "paused" : "resumed");
        if (!await) {
            out().println(done);
            return 0;
        }
        out().println("'" + action + "' request sent, waiting until it is recognized by the decider");
        out().flush();
        for (int poll = 0; poll < MAX_POLLS; poll++) {
            if (api().cluster(scope).paused() == paused) {
                out().println(done);
                return 0;
            }
            if (!root.environment().sleeper().sleep(POLL)) {
                break;
            }
        }
        throw CtlException.refused("The decider did not show the cluster as " + (paused ? "paused" : "resumed")
                + " within " + POLL.multipliedBy(MAX_POLLS).toSeconds() + " seconds");
    }
}
