package io.steward.core.citus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.steward.core.citus.CitusCall.AddNode;
import io.steward.core.citus.CitusCall.AddSecondaryNode;
import io.steward.core.citus.CitusCall.RemoveNode;
import io.steward.core.citus.CitusCall.UpdateNode;

/**
 * Plans the Citus calls that make {@code pg_dist_node} say what the log wants, group by group, in
 * an order that respects the table's rules at every statement, so the whole plan runs in one
 * transaction:
 *
 * <ul>
 *   <li>{@code (nodename, nodeport)} is unique across the table, so a primary and a secondary
 *   trading places go through a temporary name ({@code <host>-demoted}) for one statement;</li>
 *   <li>a group's primary row keeps its {@code nodeid}: a new leader is written into it with
 *   {@code citus_update_node}, never added as a new row;</li>
 *   <li>rows of secondaries that went away are reused for new secondaries before any row is
 *   added or removed; rows left over are removed;</li>
 *   <li>a group with no wanted primary (no leader right now) and a group not wanted at all are
 *   left alone: Citus keeps routing to what it knows, and removing a worker group is an
 *   operator's task (its shards must move first).</li>
 * </ul>
 *
 * <p>Rows whose role Steward does not write are ignored. Pure and deterministic: groups in id
 * order, secondaries in address order.
 */
public final class TopologyPlanner {

    /** The suffix of the temporary name a row holds while its address is being handed over. */
    public static final String DEMOTED_SUFFIX = "-demoted";

    private TopologyPlanner() {
    }

    /**
     * @param registered         the rows of {@code pg_dist_node}
     * @param wanted             the groups as the log wants them, at most one entry per group
     * @param primariesOnly      plan only the primaries (for a paused switchover's transaction:
     *                           secondaries follow once Citus's metadata is in sync again)
     * @param lockCooldownMillis {@code lock_cooldown} of every {@code citus_update_node}
     */
    public static List<CitusCall> plan(List<DistNode> registered, List<WantedGroup> wanted, boolean primariesOnly,
                                       int lockCooldownMillis) {
        Map<Integer, List<DistNode>> rowsByGroup = new TreeMap<>();
        for (DistNode row : registered) {
            rowsByGroup.computeIfAbsent(row.groupId(), group -> new ArrayList<>()).add(row);
        }
        Map<Integer, WantedGroup> wantedByGroup = new TreeMap<>();
        for (WantedGroup group : wanted) {
            if (wantedByGroup.put(group.groupId(), group) != null) {
                throw new IllegalArgumentException("group " + group.groupId() + " is wanted twice");
            }
        }
        Set<NodeAddress> taken = new HashSet<>();
        registered.forEach(row -> taken.add(row.address()));
        List<CitusCall> calls = new ArrayList<>();
        for (WantedGroup group : wantedByGroup.values()) {
            List<DistNode> rows = rowsByGroup.getOrDefault(group.groupId(), List.of());
            new GroupPlan(group, rows, taken, lockCooldownMillis, calls).plan(primariesOnly);
        }
        return List.copyOf(calls);
    }

    /** Convenience for tests and logs: the plan, one call per line. */
    public static String describe(List<CitusCall> calls) {
        return CitusCall.describe(calls);
    }

    /** The plan of one group, over a working copy of its rows. */
    private static final class GroupPlan {

        private final WantedGroup wanted;
        private final List<DistNode> rows;
        private final Set<NodeAddress> taken; // every address in the table, kept current as calls are planned
        private final int cooldown;
        private final List<CitusCall> calls;

        GroupPlan(WantedGroup wanted, List<DistNode> rows, Set<NodeAddress> taken, int cooldown, List<CitusCall> calls) {
            this.wanted = wanted;
            this.rows = new ArrayList<>(rows.stream().sorted(Comparator.comparingInt(DistNode::nodeId)).toList());
            this.taken = taken;
            this.cooldown = cooldown;
            this.calls = calls;
        }

        void plan(boolean primariesOnly) {
            List<DistNode> freed = primary();
            if (!primariesOnly) {
                secondaries(freed);
            }
        }

        /** Makes the primary row say the wanted primary; returns the rows freed on the way. */
        private List<DistNode> primary() {
            NodeAddress target = wanted.primary();
            Optional<DistNode> current = rowWith(NodeRole.PRIMARY);
            List<DistNode> freed = new ArrayList<>();
            if (current.isPresent() && current.get().address().equals(target)) {
                return freed;
            }
            Optional<DistNode> holder = rows.stream()
                    .filter(row -> row.role() == NodeRole.SECONDARY && row.address().equals(target)).findFirst();
            if (current.isEmpty()) {
                holder.ifPresent(row -> remove(row));
                calls.add(new AddNode(target, wanted.groupId(), NodeRole.PRIMARY));
                taken.add(target);
                rows.add(new DistNode(-1, wanted.groupId(), target, NodeRole.PRIMARY));
                return freed;
            }
            if (holder.isPresent()) {
                // the new primary is registered as a secondary: step its row aside for one statement
                freed.add(update(holder.get(), temporaryName(target)));
            }
            NodeAddress formerPrimary = current.get().address();
            update(current.get(), target);
            taken.remove(formerPrimary);
            return freed;
        }

        /** Reuses, removes and adds secondary rows until they are exactly the wanted secondaries. */
        private void secondaries(List<DistNode> freedByPrimary) {
            Set<NodeAddress> want = new java.util.TreeSet<>(wanted.secondaries());
            Deque<DistNode> spare = new ArrayDeque<>();
            for (DistNode row : List.copyOf(rows)) {
                if (row.role() != NodeRole.SECONDARY) {
                    continue;
                }
                boolean stepAside = freedByPrimary.stream().anyMatch(freed -> freed.nodeId() == row.nodeId());
                if (!stepAside && want.remove(row.address())) {
                    continue; // already right
                }
                spare.add(row);
            }
            for (NodeAddress address : want) {
                DistNode reused = spare.poll();
                if (reused != null) {
                    update(reused, address);
                } else {
                    calls.add(new AddSecondaryNode(address, wanted.primary()));
                    taken.add(address);
                    rows.add(new DistNode(-1, wanted.groupId(), address, NodeRole.SECONDARY));
                }
            }
            spare.forEach(this::remove);
        }

        private Optional<DistNode> rowWith(NodeRole role) {
            return rows.stream().filter(row -> row.role() == role).findFirst();
        }

        private DistNode update(DistNode row, NodeAddress to) {
            calls.add(new UpdateNode(row.nodeId(), to, true, cooldown));
            taken.remove(row.address());
            taken.add(to);
            DistNode moved = row.movedTo(to);
            rows.set(rows.indexOf(row), moved);
            return moved;
        }

        private void remove(DistNode row) {
            calls.add(new RemoveNode(row.address()));
            taken.remove(row.address());
            rows.remove(row);
        }

        /** {@code <host>-demoted}, or with a counter when even that is in the table already. */
        private NodeAddress temporaryName(NodeAddress address) {
            NodeAddress name = new NodeAddress(address.host() + DEMOTED_SUFFIX, address.port());
            for (int i = 2; taken.contains(name); i++) {
                name = new NodeAddress(address.host() + DEMOTED_SUFFIX + i, address.port());
            }
            return name;
        }
    }
}
