package io.steward.ctl;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.steward.ctl.ClusterInfo.MemberInfo;

/**
 * patronictl's member table ({@code list}, {@code topology}, and the table the other commands show
 * first): columns Cluster, Group (Citus only), Member, Host, Role, State, TL, Lag in MB, then
 * Pending restart and Tags when any member has them; under it the maintenance mode and a scheduled
 * switchover.
 */
final class MemberTable {

    private static final BigDecimal MEGABYTE = BigDecimal.valueOf(1024 * 1024);
    private static final Set<String> RIGHT_ALIGNED = Set.of("Group", "TL", "Lag in MB");

    private MemberTable() {
    }

    /** Prints {@code cluster} (only {@code group} when it is not null). */
    static void print(PrintWriter out, ClusterInfo cluster, Integer group, Format format, boolean topology,
                      boolean extended) {
        ClusterInfo shown = cluster.only(group);
        List<String> columns = new ArrayList<>(List.of("Cluster", "Member", "Host", "Role", "State", "TL", "Lag in MB"));
        if (cluster.citus()) {
            columns.add(1, "Group");
        }
        boolean pending = extended || shown.members().stream().anyMatch(MemberInfo::pendingRestart);
        boolean tags = extended || shown.members().stream().anyMatch(member -> !member.tags().isEmpty());
        if (pending) {
            columns.add("Pending restart");
        }
        if (tags) {
            columns.add("Tags");
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int each : shown.groups()) {
            List<MemberInfo> members = shown.only(each).members();
            Map<MemberInfo, String> names = topology ? topologyNames(members) : plainNames(members);
            names.forEach((member, name) -> rows.add(row(shown, member, name, format, pending, tags)));
        }
        String title = " " + (cluster.citus() ? "Citus cluster" : "Cluster") + ": " + cluster.scope()
                + (group == null ? "" : " (group: " + group + ")") + " ";
        if (format == Format.PRETTY) {
            int skip = cluster.citus() && group != null ? 2 : 1;
            columns = columns.subList(skip, columns.size());
            rows.replaceAll(row -> row.subList(skip, row.size()));
        }
        format.print(out, columns, rows, RIGHT_ALIGNED, title, true);
        if (format == Format.PRETTY) {
            List<String> info = serviceInfo(shown, group);
            if (!info.isEmpty()) {
                out.println(" " + String.join("\n ", info));
                out.flush();
            }
        }
    }

    private static List<Object> row(ClusterInfo cluster, MemberInfo member, String name, Format format, boolean pending,
                                    boolean tags) {
        List<Object> row = new ArrayList<>(List.of(cluster.scope(), member.group(), name, member.address(),
                roleTitle(member.role()), member.state(), member.timeline() == null ? "" : member.timeline(),
                lagInMb(member.lag())));
        if (!cluster.citus()) {
            row.remove(1);
        }
        if (pending) {
            row.add(member.pendingRestart() ? "*" : "");
        }
        if (tags) {
            row.add(member.tags().isEmpty() ? "" : format.isTable() ? tagsText(member.tags(), format == Format.TSV)
                    : member.tags());
        }
        return row;
    }

    /** {@code sync_standby} → {@code Sync Standby}, as Python's {@code str.title()} after replacing underscores. */
    static String roleTitle(String role) {
        return java.util.Arrays.stream(role.split("_")).filter(word -> !word.isEmpty())
                .map(word -> word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" "));
    }

    /** Bytes → whole MB as patronictl shows them (Python's {@code round(lag / 1024 / 1024)}); text passes through. */
    static Object lagInMb(Object lag) {
        if (lag == null) {
            return "";
        }
        if (lag instanceof Long bytes) {
            return new BigDecimal(bytes).divide(MEGABYTE).setScale(0, RoundingMode.HALF_EVEN);
        }
        return String.valueOf(lag);
    }

    /** Tags as YAML: one {@code key: value} a line in the framed table, {@code {a: 1, b: 2}} in TSV. */
    private static String tagsText(Map<String, Object> tags, boolean flow) {
        List<String> pairs = new ArrayList<>();
        tags.forEach((key, value) -> pairs.add(key + ": " + (value instanceof String text ? Json.yaml(text).strip()
                : Json.oneLine(value))));
        return flow ? "{" + String.join(", ", pairs) + "}" : String.join("\n", pairs);
    }

    private static Map<MemberInfo, String> plainNames(List<MemberInfo> members) {
        Map<MemberInfo, String> names = new LinkedHashMap<>();
        members.forEach(member -> names.put(member, member.name()));
        return names;
    }

    /**
     * patronictl's {@code topology_sort}: the leader, then each replica under its upstream (the
     * API's {@code upstream}, else the {@code replicatefrom} tag, when that names another replica;
     * else the leader), indented {@code + name} per level. Members in a loop of upstreams go under
     * the leader rather than out of sight.
     */
    static Map<MemberInfo, String> topologyNames(List<MemberInfo> members) {
        MemberInfo leader = members.stream().filter(MemberInfo::isLeader).findFirst().orElse(null);
        Set<String> replicas = new HashSet<>();
        members.stream().filter(member -> member != leader).forEach(member -> replicas.add(member.name()));
        Map<String, List<MemberInfo>> children = new LinkedHashMap<>();
        for (MemberInfo member : members) {
            if (member == leader) {
                continue;
            }
            String parent = member.upstream() != null ? member.upstream()
                    : member.tags().get("replicatefrom") == null ? null : String.valueOf(member.tags().get("replicatefrom"));
            boolean cascading = parent != null && !parent.equals(member.name()) && replicas.contains(parent);
            children.computeIfAbsent(cascading ? parent : rootName(leader), key -> new ArrayList<>()).add(member);
        }
        Map<MemberInfo, String> names = new LinkedHashMap<>();
        if (leader != null) {
            names.put(leader, leader.name());
        }
        place(rootName(leader), 1, children, names);
        for (MemberInfo member : members) {
            if (!names.containsKey(member)) {
                names.put(member, "+ " + member.name());
                place(member.name(), 2, children, names);
            }
        }
        return names;
    }

    private static String rootName(MemberInfo leader) {
        return leader == null ? "" : leader.name();
    }

    private static void place(String parent, int level, Map<String, List<MemberInfo>> children,
                              Map<MemberInfo, String> names) {
        for (MemberInfo child : children.getOrDefault(parent, List.of())) {
            if (names.containsKey(child)) {
                continue;
            }
            names.put(child, " ".repeat((level - 1) * 2) + "+ " + child.name());
            place(child.name(), level + 1, children, names);
        }
    }

    /** The lines under the table: maintenance mode, a scheduled switchover, a change of leader under way. */
    static List<String> serviceInfo(ClusterInfo cluster, Integer group) {
        List<String> info = new ArrayList<>();
        if (cluster.paused()) {
            info.add("Maintenance mode: on");
        }
        Map<String, Object> scheduled = cluster.scheduledSwitchover();
        if (!scheduled.isEmpty() && (group == null || group.equals(groupOf(scheduled)))) {
            StringBuilder line = new StringBuilder("Switchover scheduled at: " + scheduled.get("at"));
            for (String key : List.of("from", "to")) {
                if (scheduled.get(key) != null) {
                    line.append('\n').append(String.format("%24s: %s", key, scheduled.get(key)));
                }
            }
            info.add(line.toString());
        }
        Map<String, Object> change = cluster.leaderChange();
        if (!change.isEmpty() && (group == null || group.equals(groupOf(change)))) {
            info.add("Leader change in progress: " + change.get("kind") + " " + change.get("from") + " -> "
                    + change.get("to") + " (" + change.get("step") + (change.get("since") == null ? ""
                    : " since " + change.get("since")) + ")");
        }
        return info;
    }

    private static Integer groupOf(Map<String, Object> value) {
        Object group = value.get("group");
        return group instanceof Number number ? number.intValue() : 0;
    }
}
