package io.steward.core.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.steward.core.collect.PersistentMap;
import io.steward.core.model.GroupId;

/**
 * The fold of the whole event log: every group of every scope, and each partition's clock and epoch.
 *
 * <p>Immutable, with structural sharing: folding a record copies only the group it touches and the
 * path to it, so a step costs the size of the group, not of the fleet. The same fold produces it in
 * the decider, its standbys, citus-sync and the audit replay.
 */
public record ClusterState(PersistentMap<GroupId, GroupState> groups, PersistentMap<Integer, PartitionState> partitions) {

    public static final ClusterState EMPTY = new ClusterState(PersistentMap.empty(), PersistentMap.empty());

    public Optional<GroupState> group(GroupId id) {
        return Optional.ofNullable(groups.get(id));
    }

    /** A partition's bookkeeping; the initial one if nothing was folded there yet. */
    public PartitionState partition(int partition) {
        return partitions.getOrDefault(partition, PartitionState.initial(partition));
    }

    /** Every group of {@code scope}, by group number. */
    public List<GroupState> scope(String scope) {
        List<GroupState> result = new ArrayList<>();
        for (GroupId id : groups.sortedKeys(GroupId::compareTo)) {
            if (id.scope().equals(scope)) {
                result.add(groups.get(id));
            }
        }
        return result;
    }

    /** Every scope name, sorted. */
    public List<String> scopes() {
        return groups.sortedKeys(GroupId::compareTo).stream().map(GroupId::scope).distinct().toList();
    }

    public ClusterState withGroup(GroupState group) {
        return new ClusterState(groups.with(group.id(), group), partitions);
    }

    public ClusterState withoutGroup(GroupId id) {
        return new ClusterState(groups.without(id), partitions);
    }

    public ClusterState withPartition(PartitionState partition) {
        return new ClusterState(groups, partitions.with(partition.partition(), partition));
    }
}
