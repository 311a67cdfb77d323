package io.steward.core.citus;

import java.util.List;

/**
 * One call of Citus's node-management API, as the planner orders them. {@link #describe()} is the
 * SQL it stands for, for logs and events; citus-sync binds the same arguments as parameters.
 */
public sealed interface CitusCall {

    /** The call as SQL, with literals: for people, never executed. */
    String describe();

    /** {@code citus_add_node(nodename, nodeport, groupid, noderole, nodecluster => 'default')} */
    record AddNode(NodeAddress address, int groupId, NodeRole role) implements CitusCall {
        @Override
        public String describe() {
            return "citus_add_node(" + literal(address.host()) + ", " + address.port() + ", " + groupId + ", "
                    + literal(role.sql()) + ", 'default')";
        }
    }

    /** {@code citus_add_secondary_node(nodename, nodeport, primaryname, primaryport, nodecluster => 'default')} */
    record AddSecondaryNode(NodeAddress address, NodeAddress primary) implements CitusCall {
        @Override
        public String describe() {
            return "citus_add_secondary_node(" + literal(address.host()) + ", " + address.port() + ", "
                    + literal(primary.host()) + ", " + primary.port() + ", 'default')";
        }
    }

    /**
     * {@code citus_update_node(node_id, new_node_name, new_node_port, force, lock_cooldown)}: the
     * row keeps its id and group; with {@code force}, backends still holding the node's lock after
     * {@code lockCooldownMillis} are terminated.
     */
    record UpdateNode(int nodeId, NodeAddress to, boolean force, int lockCooldownMillis) implements CitusCall {
        @Override
        public String describe() {
            return "citus_update_node(" + nodeId + ", " + literal(to.host()) + ", " + to.port() + ", " + force + ", "
                    + lockCooldownMillis + ")";
        }
    }

    /** {@code citus_remove_node(nodename, nodeport)} */
    record RemoveNode(NodeAddress address) implements CitusCall {
        @Override
        public String describe() {
            return "citus_remove_node(" + literal(address.host()) + ", " + address.port() + ")";
        }
    }

    /** The calls, one per line. */
    static String describe(List<? extends CitusCall> calls) {
        return String.join("\n", calls.stream().map(CitusCall::describe).toList());
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
