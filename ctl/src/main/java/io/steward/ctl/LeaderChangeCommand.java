package io.steward.ctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.steward.ctl.ClusterInfo.MemberInfo;

/**
 * patronictl's {@code _do_failover_or_switchover}: show the cluster, settle the group, the leader,
 * the candidate and the time (asking for what is missing unless {@code --force}), confirm, send
 * the request, print the decider's answer and the cluster again.
 */
abstract class LeaderChangeCommand extends CtlCommand {

    @Mixin
    SharedOptions.ScopeArgument scopeArgument;

    @Option(names = {"--leader", "--primary", "--master"}, paramLabel = "NAME", description = "The current leader")
    String leader;

    @Option(names = "--candidate", paramLabel = "NAME", description = "The member to promote")
    String candidate;

    @Mixin
    SharedOptions.ForceOption forceOption;

    /** What is being asked for. */
    record Request(String action, String scope, Integer group, String leader, String candidate, String scheduledAt) {
    }

    /** Runs {@code action} ("switchover" or "failover"); {@code scheduled} is null for failovers and when not given. */
    int change(String action, String scheduled) {
        String scope = scope(scopeArgument.name);
        ClusterInfo cluster = api().cluster(scope);
        out().println("Current cluster topology");
        MemberTable.print(out(), cluster, group, Format.PRETTY, false, false);
        Integer chosenGroup = chooseGroup(cluster);
        ClusterInfo view = cluster.only(chosenGroup);
        String from = leaderOf(action, view, scope);
        String to = candidateOf(action, view, scope, from);
        String at = null;
        if (action.equals("switchover")) {
            if (scheduled == null && !forceOption.force) {
                scheduled = prompter().prompt("When should the switchover take place (e.g. " + Schedules.nextHour(now())
                        + ")", "now");
            }
            at = Schedules.parse(scheduled, now().getZone());
            if (at != null && view.paused()) {
                throw CtlException.refused("Can't schedule switchover in the paused state");
            }
        }
        Request request = new Request(action, scope, chosenGroup, from, to, at);
        confirm(request, view);
        DeciderClient.Reply reply = api().post(scope, action, body(request));
        if (!reply.isSuccess()) {
            return refused(capitalized(action), reply);
        }
        out().println(timestamp() + " " + reply.message());
        MemberTable.print(out(), api().cluster(scope), group, Format.PRETTY, false, false);
        return 0;
    }

    private Integer chooseGroup(ClusterInfo cluster) {
        if (group != null || !cluster.citus()) {
            return group;
        }
        if (cluster.groups().size() == 1) {
            return cluster.groups().getFirst();
        }
        if (forceOption.force) {
            throw CtlException.refused("For Citus clusters the --group must be specified");
        }
        String answer = prompter().prompt("Citus group", null);
        try {
            int chosen = Integer.parseInt(answer);
            if (!cluster.groups().contains(chosen)) {
                throw CtlException.refused("Group " + chosen + " is not a group of " + cluster.scope() + " "
                        + cluster.groups());
            }
            return chosen;
        } catch (NumberFormatException e) {
            throw CtlException.refused("Citus group must be a number, got '" + answer + "'");
        }
    }

    private String leaderOf(String action, ClusterInfo view, String scope) {
        String current = view.leader().map(MemberInfo::name).orElse(null);
        if (action.equals("switchover") && current == null) {
            throw CtlException.refused("This cluster has no leader");
        }
        String from = leader;
        if (from == null) {
            from = forceOption.force || action.equals("failover") ? current : prompter().prompt("Primary", current);
        }
        if (from != null && current != null && !current.equals(from)) {
            throw CtlException.refused("Member " + from + " is not the leader of cluster " + scope);
        }
        return from;
    }

    private String candidateOf(String action, ClusterInfo view, String scope, String from) {
        List<String> candidates = view.members().stream()
                .filter(member -> !member.name().equals(from) && !member.noFailover())
                .map(MemberInfo::name).sorted().toList();
        if (candidates.isEmpty()) {
            throw CtlException.refused("No candidates found to " + action + " to");
        }
        String to = candidate;
        if (to == null && !forceOption.force) {
            to = prompter().prompt("Candidate " + pythonList(candidates), "");
            to = to.isEmpty() ? null : to;
        }
        if (action.equals("failover") && to == null) {
            throw CtlException.refused("Failover could be performed only to a specific candidate");
        }
        if (to != null && to.equals(from)) {
            throw CtlException.refused(capitalized(action) + " target and source are the same.");
        }
        if (to != null && !candidates.contains(to)) {
            throw CtlException.refused("Member " + to + " does not exist in cluster " + scope);
        }
        return to;
    }

    private void confirm(Request request, ClusterInfo view) {
        if (forceOption.force) {
            return;
        }
        boolean synchronous = view.members().stream().anyMatch(member -> member.role().endsWith("_standby"));
        boolean asynchronous = request.candidate() != null && view.member(request.candidate())
                .map(member -> !member.role().endsWith("_standby")).orElse(false);
        if (request.action().equals("failover") && synchronous && asynchronous
                && !prompter().confirm("Are you sure you want to failover to the asynchronous node "
                        + request.candidate() + "?")) {
            throw CtlException.refused("Aborting failover");
        }
        String demoting = request.leader() == null ? "" : ", demoting current leader " + request.leader();
        if (request.scheduledAt() != null) {
            if (!prompter().confirm("Are you sure you want to schedule " + request.action() + " of cluster "
                    + request.scope() + " at " + request.scheduledAt() + demoting + "?")) {
                throw CtlException.refused("Aborting scheduled " + request.action());
            }
        } else if (!prompter().confirm("Are you sure you want to " + request.action() + " cluster " + request.scope()
                + demoting + "?")) {
            throw CtlException.refused("Aborting " + request.action());
        }
    }

    private static Map<String, Object> body(Request request) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (request.action().equals("switchover")) {
            body.put("leader", request.leader());
        }
        if (request.candidate() != null) {
            body.put("candidate", request.candidate());
        }
        if (request.scheduledAt() != null) {
            body.put("scheduled_at", request.scheduledAt());
        }
        if (request.group() != null) {
            body.put("group", request.group());
        }
        return body;
    }

    /** {@code ['a', 'b']}, as Python prints a list of names in patronictl's prompt. */
    static String pythonList(List<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
