package io.steward.core.citus;

import java.util.List;
import java.util.Objects;

/**
 * What {@code pg_dist_node} should say about one group.
 *
 * @param primary     the group's leader
 * @param secondaries its other members that can serve reads, in name order (none twice, not the primary)
 */
public record WantedGroup(int groupId, NodeAddress primary, List<NodeAddress> secondaries) {

    public WantedGroup {
        Objects.requireNonNull(primary, "primary");
        secondaries = List.copyOf(secondaries);
        if (secondaries.contains(primary)) {
            throw new IllegalArgumentException("group " + groupId + ": " + primary + " is both primary and secondary");
        }
        if (secondaries.stream().distinct().count() != secondaries.size()) {
            throw new IllegalArgumentException("group " + groupId + ": a secondary is listed twice");
        }
    }
}
