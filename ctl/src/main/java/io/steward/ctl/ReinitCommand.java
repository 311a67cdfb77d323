package io.steward.ctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.steward.ctl.ClusterInfo.MemberInfo;

/**
 * {@code reinit [SCOPE] MEMBER... --force --from-leader}: rebuild replicas from a fresh base backup.
 * When a member is busy the decider says so; without {@code --force} stewardctl offers to cancel
 * that and reinitialize anyway, as patronictl does.
 */
@Command(name = "reinit", description = "Reinitialize replicas from a fresh base backup")
final class ReinitCommand extends MemberActionCommand {

    @Option(names = "--from-leader", description = "Take the base backup from the leader, not a clonefrom replica")
    boolean fromLeader;

    @Override
    public Integer call() {
        Target target = target(words);
        ClusterInfo cluster = api().cluster(target.scope());
        List<MemberInfo> members = select(cluster, target.members(), "replica", "reinitialize");
        confirmMembers(members, "reinitialize", null);
        int exit = 0;
        for (MemberInfo member : members) {
            exit = Math.max(exit, reinitialize(cluster, member));
        }
        return exit;
    }

    private int reinitialize(ClusterInfo cluster, MemberInfo member) {
        boolean cancelRunning = forceOption.force;
        while (true) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("member", member.name());
            body.put("force", cancelRunning);
            if (fromLeader) {
                body.put("from_leader", true);
            }
            if (cluster.citus()) {
                body.put("group", member.group());
            }
            DeciderClient.Reply reply = api().post(cluster.scope(), "reinitialize", body);
            if (reply.isSuccess()) {
                out().println("Success: reinitialize for member " + member.name());
                return 0;
            }
            if (!cancelRunning && reply.message().contains("already in progress")) {
                out().println(reply.message());
                if (prompter().confirm("Do you want to cancel it and reinitialize anyway?")) {
                    cancelRunning = true;
                    continue;
                }
            }
            return refused("Reinitialize of " + member.name(), reply);
        }
    }
}
