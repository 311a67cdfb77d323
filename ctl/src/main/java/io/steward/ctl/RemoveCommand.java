package io.steward.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import io.steward.ctl.ClusterInfo.MemberInfo;

/**
 * {@code remove SCOPE}: the decider forgets the scope (the members' data is untouched). As
 * patronictl, only after typing the scope's name, "Yes I am aware" and, while it has a leader, the
 * leader's name. There is no {@code --force}.
 */
@Command(name = "remove", description = "Make the decider forget a scope (its members' data is untouched)")
final class RemoveCommand extends CtlCommand {

    static final String AWARE = "Yes I am aware";

    @Parameters(paramLabel = "SCOPE", arity = "1", description = "The scope to remove")
    String scope;

    @Override
    public Integer call() {
        if (group != null) {
            throw CtlException.usage("The decider removes a whole scope: remove does not take --group");
        }
        ClusterInfo cluster = api().cluster(scope);
        MemberTable.print(out(), cluster, null, Format.PRETTY, false, false);
        Prompter prompter = prompter();
        if (!prompter.prompt("Please confirm the cluster name to remove", null).equals(scope)) {
            throw CtlException.refused("Cluster names specified do not match");
        }
        if (!prompter.prompt("You are about to remove all information the decider keeps for " + scope
                + ", please type: \"" + AWARE + "\"", null).equals(AWARE)) {
            throw CtlException.refused("You did not exactly type \"" + AWARE + "\"");
        }
        String leader = cluster.leader().map(MemberInfo::name).orElse(null);
        if (leader != null && !prompter.prompt("This cluster currently is healthy. Please specify the leader name to "
                + "continue", null).equals(leader)) {
            throw CtlException.refused("You did not specify the current leader of the cluster");
        }
        DeciderClient.Reply reply = api().remove(scope);
        return reply.isSuccess() ? succeeded(reply) : refused("Remove", reply);
    }
}
