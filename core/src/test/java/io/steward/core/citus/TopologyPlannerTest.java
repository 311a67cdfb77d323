package io.steward.core.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.steward.core.citus.CitusCall.AddNode;
import io.steward.core.citus.CitusCall.AddSecondaryNode;
import io.steward.core.citus.CitusCall.RemoveNode;
import io.steward.core.citus.CitusCall.UpdateNode;

/**
 * The planner against a model of {@code pg_dist_node}: every case checks the calls, and that
 * running them one statement at a time never breaks the table's rules and ends at the wanted
 * topology.
 */
class TopologyPlannerTest {

    private static final int COOLDOWN = 10_000;

    record Case(String name, List<DistNode> rows, List<WantedGroup> wanted, boolean primariesOnly, List<String> calls) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("an empty table gets each group's primary, then its secondaries",
                        List.of(),
                        List.of(group(0, "c1", "c2", "c3"), group(1, "w1", "w2", "w3")), false,
                        List.of("citus_add_node('c1', 5432, 0, 'primary', 'default')",
                                "citus_add_secondary_node('c2', 5432, 'c1', 5432, 'default')",
                                "citus_add_secondary_node('c3', 5432, 'c1', 5432, 'default')",
                                "citus_add_node('w1', 5432, 1, 'primary', 'default')",
                                "citus_add_secondary_node('w2', 5432, 'w1', 5432, 'default')",
                                "citus_add_secondary_node('w3', 5432, 'w1', 5432, 'default')")),
                new Case("nothing to do when the table says what is wanted",
                        List.of(primary(1, 0, "c1"), secondary(2, 0, "c2"), primary(4, 1, "w1"), secondary(5, 1, "w2")),
                        List.of(group(0, "c1", "c2"), group(1, "w1", "w2")), false,
                        List.of()),
                new Case("worker failover to a registered secondary: the primary row keeps its id, the dead "
                                + "primary's row is not kept",
                        List.of(primary(4, 1, "w1"), secondary(5, 1, "w2"), secondary(6, 1, "w3")),
                        List.of(group(1, "w2", "w3")), false,
                        List.of("citus_update_node(5, 'w2-demoted', 5432, true, 10000)",
                                "citus_update_node(4, 'w2', 5432, true, 10000)",
                                "citus_remove_node('w2-demoted', 5432)")),
                new Case("switchover: primary and secondary trade places through the -demoted name",
                        List.of(primary(4, 1, "w1"), secondary(5, 1, "w2"), secondary(6, 1, "w3")),
                        List.of(group(1, "w2", "w1", "w3")), false,
                        List.of("citus_update_node(5, 'w2-demoted', 5432, true, 10000)",
                                "citus_update_node(4, 'w2', 5432, true, 10000)",
                                "citus_update_node(5, 'w1', 5432, true, 10000)")),
                new Case("switchover inside the paused transaction: the primary only",
                        List.of(primary(4, 1, "w1"), secondary(5, 1, "w2"), secondary(6, 1, "w3")),
                        List.of(group(1, "w2", "w1", "w3")), true,
                        List.of("citus_update_node(5, 'w2-demoted', 5432, true, 10000)",
                                "citus_update_node(4, 'w2', 5432, true, 10000)")),
                new Case("new primary not registered at all: the primary row is rewritten, secondaries untouched",
                        List.of(primary(4, 1, "w1"), secondary(5, 1, "w2")),
                        List.of(group(1, "w9", "w2")), false,
                        List.of("citus_update_node(4, 'w9', 5432, true, 10000)")),
                new Case("a secondary that left is replaced by reusing its row",
                        List.of(primary(4, 1, "w1"), secondary(5, 1, "w2"), secondary(6, 1, "w3")),
                        List.of(group(1, "w1", "w2", "w4")), false,
                        List.of("citus_update_node(6, 'w4', 5432, true, 10000)")),
                new Case("secondaries that left are removed, new ones added",
                        List.of(primary(4, 1, "w1"), secondary(5, 1, "w2"), secondary(6, 1, "w3")),
                        List.of(group(1, "w1")), false,
                        List.of("citus_remove_node('w2', 5432)", "citus_remove_node('w3', 5432)")),
                new Case("a group with no primary row: a registered secondary is removed before the primary is added",
                        List.of(secondary(5, 1, "w2")),
                        List.of(group(1, "w2", "w1")), false,
                        List.of("citus_remove_node('w2', 5432)",
                                "citus_add_node('w2', 5432, 1, 'primary', 'default')",
                                "citus_add_secondary_node('w1', 5432, 'w2', 5432, 'default')")),
                new Case("a group that is not wanted (no leader now, or gone) is left alone",
                        List.of(primary(1, 0, "c1"), primary(4, 1, "w1"), secondary(5, 1, "w2")),
                        List.of(group(0, "c1")), false,
                        List.of()),
                new Case("coordinator failover: its own row is updated like a worker's",
                        List.of(primary(1, 0, "c1"), secondary(2, 0, "c2"), secondary(3, 0, "c3"), primary(4, 1, "w1")),
                        List.of(group(0, "c3", "c2"), group(1, "w1")), false,
                        List.of("citus_update_node(3, 'c3-demoted', 5432, true, 10000)",
                                "citus_update_node(1, 'c3', 5432, true, 10000)",
                                "citus_remove_node('c3-demoted', 5432)")),
                new Case("the same host on another port is another node",
                        List.of(primary(4, 1, "h", 5432), secondary(5, 1, "h", 5433)),
                        List.of(new WantedGroup(1, new NodeAddress("h", 5433), List.of(new NodeAddress("h", 5432)))),
                        false,
                        List.of("citus_update_node(5, 'h-demoted', 5433, true, 10000)",
                                "citus_update_node(4, 'h', 5433, true, 10000)",
                                "citus_update_node(5, 'h', 5432, true, 10000)")),
                new Case("the temporary name is never one already in the table",
                        List.of(primary(4, 1, "w1"), secondary(5, 1, "w2"), secondary(6, 1, "w2-demoted")),
                        List.of(group(1, "w2", "w1")), false,
                        List.of("citus_update_node(5, 'w2-demoted2', 5432, true, 10000)",
                                "citus_update_node(4, 'w2', 5432, true, 10000)",
                                "citus_update_node(5, 'w1', 5432, true, 10000)",
                                "citus_remove_node('w2-demoted', 5432)")),
                new Case("two workers fail over in one plan, each in its own group",
                        List.of(primary(4, 1, "a1"), secondary(5, 1, "a2"), primary(7, 2, "b1"), secondary(8, 2, "b2")),
                        List.of(group(2, "b2", "b1"), group(1, "a2", "a1")), false,
                        List.of("citus_update_node(5, 'a2-demoted', 5432, true, 10000)",
                                "citus_update_node(4, 'a2', 5432, true, 10000)",
                                "citus_update_node(5, 'a1', 5432, true, 10000)",
                                "citus_update_node(8, 'b2-demoted', 5432, true, 10000)",
                                "citus_update_node(7, 'b2', 5432, true, 10000)",
                                "citus_update_node(8, 'b1', 5432, true, 10000)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(Case c) {
        List<CitusCall> calls = TopologyPlanner.plan(c.rows(), c.wanted(), c.primariesOnly(), COOLDOWN);

        assertThat(calls).extracting(CitusCall::describe).as(c.name()).containsExactlyElementsOf(c.calls());
        List<DistNode> after = new Table(c.rows()).run(calls);
        for (WantedGroup group : c.wanted()) {
            assertThat(after).as(c.name() + ": primary of group " + group.groupId())
                    .filteredOn(row -> row.groupId() == group.groupId() && row.role() == NodeRole.PRIMARY)
                    .extracting(DistNode::address).containsExactly(group.primary());
            if (!c.primariesOnly()) {
                assertThat(after).as(c.name() + ": secondaries of group " + group.groupId())
                        .filteredOn(row -> row.groupId() == group.groupId() && row.role() == NodeRole.SECONDARY)
                        .extracting(DistNode::address).containsExactlyInAnyOrderElementsOf(group.secondaries());
            }
        }
        assertThat(TopologyPlanner.plan(after, c.wanted(), c.primariesOnly(), COOLDOWN)).as("planned again")
                .isEmpty();
    }

    @Test
    void primaryRowsKeepTheirIds() {
        List<DistNode> rows = List.of(primary(4, 1, "w1"), secondary(5, 1, "w2"), secondary(6, 1, "w3"));
        for (String leader : List.of("w2", "w3", "w9")) {
            List<DistNode> after = new Table(rows).run(TopologyPlanner.plan(rows, List.of(group(1, leader)), false, 0));
            assertThat(after).filteredOn(row -> row.role() == NodeRole.PRIMARY)
                    .extracting(DistNode::nodeId).containsExactly(4);
        }
    }

    @Test
    void aGroupWantedTwiceIsAMistake() {
        assertThatThrownBy(() -> TopologyPlanner.plan(List.of(), List.of(group(1, "a"), group(1, "b")), false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group 1 is wanted twice");
    }

    @Test
    void aPrimaryCannotAlsoBeASecondary() {
        assertThatThrownBy(() -> group(1, "a", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both primary and secondary");
    }

    // ---- a model of pg_dist_node that enforces Citus's rules statement by statement ------------

    /** The table, with Citus's checks: unique addresses, one primary per group, ids never reused. */
    private static final class Table {
        private final List<DistNode> rows;
        private int nextId;

        Table(List<DistNode> initial) {
            rows = new ArrayList<>(initial);
            nextId = initial.stream().mapToInt(DistNode::nodeId).max().orElse(0) + 1;
            check();
        }

        List<DistNode> run(List<CitusCall> calls) {
            for (CitusCall call : calls) {
                switch (call) {
                    case AddNode add -> insert(add.address(), add.groupId(), add.role());
                    case AddSecondaryNode add -> insert(add.address(), find(add.primary()).groupId(), NodeRole.SECONDARY);
                    case UpdateNode update -> {
                        DistNode row = rows.stream().filter(r -> r.nodeId() == update.nodeId()).findFirst()
                                .orElseThrow(() -> new AssertionError("node " + update.nodeId() + " not found"));
                        rows.set(rows.indexOf(row), row.movedTo(update.to()));
                    }
                    case RemoveNode remove -> rows.remove(find(remove.address()));
                }
                check();
            }
            return List.copyOf(rows);
        }

        private void insert(NodeAddress address, int group, NodeRole role) {
            rows.add(new DistNode(nextId++, group, address, role));
        }

        private DistNode find(NodeAddress address) {
            return rows.stream().filter(r -> r.address().equals(address)).findFirst()
                    .orElseThrow(() -> new AssertionError("node at " + address + " not found"));
        }

        private void check() {
            assertThat(rows.stream().map(DistNode::address).distinct().count()).as("unique (nodename, nodeport)")
                    .isEqualTo(rows.size());
            assertThat(rows.stream().filter(r -> r.role() == NodeRole.PRIMARY).map(DistNode::groupId).distinct().count())
                    .as("one primary per group")
                    .isEqualTo(rows.stream().filter(r -> r.role() == NodeRole.PRIMARY).count());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static WantedGroup group(int id, String primary, String... secondaries) {
        return new WantedGroup(id, new NodeAddress(primary, 5432),
                Stream.of(secondaries).map(host -> new NodeAddress(host, 5432)).toList());
    }

    private static DistNode primary(int id, int group, String host) {
        return primary(id, group, host, 5432);
    }

    private static DistNode primary(int id, int group, String host, int port) {
        return new DistNode(id, group, host, port, NodeRole.PRIMARY);
    }

    private static DistNode secondary(int id, int group, String host) {
        return secondary(id, group, host, 5432);
    }

    private static DistNode secondary(int id, int group, String host, int port) {
        return new DistNode(id, group, host, port, NodeRole.SECONDARY);
    }
}
