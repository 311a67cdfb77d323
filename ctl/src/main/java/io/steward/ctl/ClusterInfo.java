package io.steward.ctl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scope as {@code GET /v1/scopes/{scope}} shows it (Patroni's {@code /cluster}): the members of
 * every group, sorted by group and name, whether it is paused, a scheduled switchover and a change
 * of leader in progress.
 *
 * @param citus whether the answer names groups (several groups, or a group other than 0)
 */
record ClusterInfo(String scope, List<MemberInfo> members, boolean paused, Map<String, Object> scheduledSwitchover,
                   Map<String, Object> leaderChange, boolean citus) {

    /** One member row. {@code lag} is bytes behind the leader, "unknown", or null for the leader. */
    record MemberInfo(String name, int group, String role, String state, String host, Integer port, Long timeline,
                      Object lag, boolean pendingRestart, Map<String, Object> tags, String upstream) {

        boolean isLeader() {
            return role.equals("leader") || role.equals("standby_leader");
        }

        boolean noFailover() {
            Object value = tags.get("nofailover");
            return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
        }

        /** host:port, as patronictl shows it. */
        String address() {
            return port == null ? host : host + ":" + port;
        }
    }

    static ClusterInfo parse(String scope, JsonNode view) {
        List<MemberInfo> members = new ArrayList<>();
        boolean citus = false;
        for (JsonNode row : view.path("members")) {
            citus |= row.has("group");
            members.add(member(row));
        }
        members.sort(Comparator.comparingInt(MemberInfo::group).thenComparing(MemberInfo::name));
        return new ClusterInfo(view.path("scope").asText(scope), List.copyOf(members), view.path("pause").asBoolean(false),
                map(view.get("scheduled_switchover")), map(view.get("leader_change")), citus);
    }

    private static MemberInfo member(JsonNode row) {
        JsonNode lag = row.get("lag");
        Object lagValue = lag == null || lag.isNull() ? null : lag.isNumber() ? (Object) lag.asLong() : lag.asText();
        JsonNode upstream = row.get("upstream");
        return new MemberInfo(row.path("name").asText(), row.path("group").asInt(0), row.path("role").asText(""),
                row.path("state").asText(""), row.path("host").asText(""),
                row.hasNonNull("port") ? row.get("port").asInt() : null,
                row.hasNonNull("timeline") ? row.get("timeline").asLong() : null, lagValue,
                row.path("pending_restart").asBoolean(false), map(row.get("tags")),
                upstream == null || upstream.isNull() ? null : upstream.asText());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        return (Map<String, Object>) Json.plain(node);
    }

    /** The scope's groups, in order. */
    List<Integer> groups() {
        TreeSet<Integer> groups = new TreeSet<>();
        members.forEach(member -> groups.add(member.group()));
        return List.copyOf(groups);
    }

    /** Only the members of {@code group}; the whole scope when it is null. */
    ClusterInfo only(Integer group) {
        if (group == null) {
            return this;
        }
        return new ClusterInfo(scope, members.stream().filter(member -> member.group() == group).toList(), paused,
                scheduledSwitchover, leaderChange, citus);
    }

    Optional<MemberInfo> leader() {
        return members.stream().filter(MemberInfo::isLeader).findFirst();
    }

    Optional<MemberInfo> member(String name) {
        return members.stream().filter(member -> member.name().equals(name)).findFirst();
    }

    List<String> names() {
        return members.stream().map(MemberInfo::name).toList();
    }
}
