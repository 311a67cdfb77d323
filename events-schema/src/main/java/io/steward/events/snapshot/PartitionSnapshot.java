package io.steward.events.snapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.PartitionState;

/**
 * The folded state of one log partition: its bookkeeping and every group whose records land in it.
 *
 * <p>Groups live in exactly one partition, so the snapshots of all partitions together hold the
 * whole {@link ClusterState}, and each can be written and loaded on its own (one compacted record
 * per partition). A restarted decider loads the snapshot and folds only the records after
 * {@link #position()}.
 *
 * <p>Invariants: every group belongs to {@code partition}; groups are sorted by id, without
 * duplicates, so that equal states give equal snapshots (and equal bytes).
 *
 * @param partition the partition's bookkeeping: epoch, position, clock
 * @param groups    the partition's groups, by id
 */
public record PartitionSnapshot(PartitionState partition, List<GroupState> groups) {

    public PartitionSnapshot {
        Objects.requireNonNull(partition, "partition");
        groups = List.copyOf(groups);
        GroupId previous = null;
        for (GroupState group : groups) {
            if (group.partition() != partition.partition()) {
                throw new IllegalArgumentException("group " + group.id() + " belongs to partition " + group.partition()
                        + ", not to " + partition.partition());
            }
            if (previous != null && previous.compareTo(group.id()) >= 0) {
                throw new IllegalArgumentException("groups must be sorted by id without duplicates: " + group.id()
                        + " after " + previous);
            }
            previous = group.id();
        }
    }

    /** The snapshot of {@code partition}: its bookkeeping (the initial one if nothing was folded there) and its groups. */
    public static PartitionSnapshot of(ClusterState state, int partition) {
        List<GroupState> groups = new ArrayList<>();
        for (GroupId id : state.groups().sortedKeys(GroupId::compareTo)) {
            GroupState group = state.groups().get(id);
            if (group.partition() == partition) {
                groups.add(group);
            }
        }
        return new PartitionSnapshot(state.partition(partition), groups);
    }

    /**
     * The cluster state the snapshots hold together; partitions without a snapshot are left out.
     *
     * @throws IllegalArgumentException when two snapshots are of the same partition
     */
    public static ClusterState restore(Collection<PartitionSnapshot> snapshots) {
        ClusterState state = ClusterState.EMPTY;
        Set<Integer> seen = new HashSet<>();
        for (PartitionSnapshot snapshot : snapshots) {
            if (!seen.add(snapshot.partition().partition())) {
                throw new IllegalArgumentException("two snapshots of partition " + snapshot.partition().partition());
            }
            state = state.withPartition(snapshot.partition());
            for (GroupState group : snapshot.groups()) {
                state = state.withGroup(group);
            }
        }
        return state;
    }

    /** The offset of the last record folded into this snapshot; -1 before any. Replay resumes after it. */
    public long position() {
        return partition.position();
    }
}
