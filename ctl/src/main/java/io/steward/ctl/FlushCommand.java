package io.steward.ctl;

import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flush [SCOPE] switchover|restart}: cancel a scheduled switchover or restart. On a Citus
 * scope without {@code --group}, a switchover is cancelled in the group it is scheduled in, and
 * restarts in every group.
 */
@Command(name = "flush", description = "Discard a scheduled switchover or restart")
final class FlushCommand extends CtlCommand {

    @Parameters(paramLabel = "[SCOPE] switchover|restart", arity = "1..2",
            description = "The scope (default: the configured scope), then what to discard")
    List<String> words;

    /** patronictl asks before flushing; this asks nothing, so --force only keeps scripts working. */
    @Option(names = "--force", description = "Accepted for patronictl's scripts; flush does not ask")
    boolean force;

    @Override
    public Integer call() {
        String what = words.getLast();
        if (!what.equals("switchover") && !what.equals("restart")) {
            throw CtlException.usage("flush discards 'switchover' or 'restart', not '" + what + "'");
        }
        String scope = scope(words.size() == 2 ? words.getFirst() : null);
        ClusterInfo cluster = api().cluster(scope);
        if (what.equals("switchover")) {
            Map<String, Object> scheduled = cluster.scheduledSwitchover();
            if (scheduled.isEmpty()) {
                out().println("No pending scheduled switchover");
                return 0;
            }
            Integer in = group != null || !cluster.citus() ? group
                    : scheduled.get("group") instanceof Number number ? number.intValue() : 0;
            return flush(scope, what, in);
        }
        if (group != null || !cluster.citus()) {
            return flush(scope, what, group);
        }
        int exit = 0;
        for (int each : cluster.groups()) {
            exit = Math.max(exit, flush(scope, what, each));
        }
        return exit;
    }

    private int flush(String scope, String what, Integer in) {
        DeciderClient.Reply reply = api().cancel(scope, what, in);
        if (reply.isSuccess()) {
            return succeeded(reply);
        }
        err().println("Failed: " + (in == null ? "" : "group " + in + ": ") + reply.message());
        return CtlException.REFUSED;
    }
}
