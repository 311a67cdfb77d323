package io.steward.audit.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.steward.core.model.MemberState;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.HistoryEntry;
import io.steward.core.view.ClusterView;

/**
 * Every scope and group as the fold says it is (now, or at an instant of a replay): per scope the
 * Patroni-style cluster view (members with role, state, timeline and lag, Citus groups), and per
 * group its leader, whether it is healthy or paused, a change of leader under way and the last one.
 */
public final class Fleet {

    private Fleet() {
    }

    public static Map<String, Object> of(ClusterState state) {
        List<Map<String, Object>> scopes = new ArrayList<>();
        for (String scope : state.scopes()) {
            scopes.add(scope(state, scope));
        }
        Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("scopes", scopes);
        return fleet;
    }

    /** One scope: its cluster view and a summary of each of its groups. */
    public static Map<String, Object> scope(ClusterState state, String scope) {
        List<GroupState> groups = state.scope(scope);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("scope", scope);
        view.put("citus", groups.size() > 1 || groups.stream().anyMatch(g -> g.id().group() != 0));
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (GroupState group : groups) {
            summaries.add(group(group));
        }
        view.put("groups", summaries);
        view.put("cluster", ClusterView.cluster(scope, groups));
        return view;
    }

    private static Map<String, Object> group(GroupState group) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("group", group.id().group());
        summary.put("leader", group.leader());
        MemberState leader = group.leaderMember().orElse(null);
        boolean healthy = leader != null && !leader.isFailed() && leader.observation().isRunningPrimary()
                && group.lease().isHeldBy(leader.name());
        summary.put("healthy", healthy);
        summary.put("paused", group.paused());
        summary.put("timeline", group.timeline());
        summary.put("members", group.members().size());
        summary.put("config_version", group.config().version());
        if (group.transition() != null) {
            summary.put("changing", group.transition().kind().name().toLowerCase() + " " + group.transition().from()
                    + " → " + group.transition().to());
        }
        if (!group.history().isEmpty()) {
            HistoryEntry last = group.history().get(group.history().size() - 1);
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("at", last.at() == null ? null : last.at().toString());
            change.put("from", last.oldLeader());
            change.put("to", last.newLeader());
            change.put("reason", last.reason());
            change.put("actor", last.actor());
            summary.put("last_change", change);
        }
        return summary;
    }
}
