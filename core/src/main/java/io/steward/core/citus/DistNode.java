package io.steward.core.citus;

import java.util.Objects;

/**
 * One row of {@code pg_dist_node}, the columns the planner needs (the others keep Citus's defaults:
 * {@code noderack 'default'}, {@code nodecluster 'default'}).
 *
 * @param nodeId  {@code nodeid}, assigned by Citus; a primary keeps it for life (shard placements
 *                refer to its group, metadata to its id)
 * @param groupId {@code groupid}: 0 is the coordinator, 1..n the workers
 */
public record DistNode(int nodeId, int groupId, NodeAddress address, NodeRole role) {

    public DistNode {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(role, "role");
    }

    public DistNode(int nodeId, int groupId, String host, int port, NodeRole role) {
        this(nodeId, groupId, new NodeAddress(host, port), role);
    }

    public DistNode movedTo(NodeAddress newAddress) {
        return new DistNode(nodeId, groupId, newAddress, role);
    }
}
