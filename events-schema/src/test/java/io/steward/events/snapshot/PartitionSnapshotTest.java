package io.steward.events.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steward.core.model.GroupId;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.PartitionState;

class PartitionSnapshotTest {

    private static final ClusterState FLEET = SnapshotStates.fleet(SnapshotStates.scenarios(), 3);

    @Test
    void takesThePartitionsOwnGroupsSortedById() {
        PartitionSnapshot snapshot = PartitionSnapshot.of(FLEET, 1);
        assertThat(snapshot.partition()).isEqualTo(FLEET.partition(1));
        assertThat(snapshot.groups()).isNotEmpty().allSatisfy(group -> assertThat(group.partition()).isEqualTo(1));
        assertThat(snapshot.groups()).extracting(GroupState::id).isSortedAccordingTo(GroupId::compareTo);
        assertThat(snapshot.groups()).hasSize((int) FLEET.groups().values().stream().filter(g -> g.partition() == 1)
                .count());
        assertThat(snapshot.position()).isEqualTo(FLEET.partition(1).position());
    }

    @Test
    void restoringEveryPartitionGivesTheStateBack() {
        List<PartitionSnapshot> all = FLEET.partitions().sortedKeys(Integer::compareTo).stream()
                .map(partition -> PartitionSnapshot.of(FLEET, partition)).toList();
        assertThat(PartitionSnapshot.restore(all)).isEqualTo(FLEET);
        assertThat(PartitionSnapshot.restore(all.subList(0, 1)).groups().values())
                .containsExactlyInAnyOrderElementsOf(all.get(0).groups());
    }

    @Test
    void anUntouchedPartitionHasItsInitialBookkeepingAndNoGroups() {
        PartitionSnapshot snapshot = PartitionSnapshot.of(FLEET, 9);
        assertThat(snapshot).isEqualTo(new PartitionSnapshot(PartitionState.initial(9), List.of()));
        assertThat(snapshot.position()).isEqualTo(-1);
    }

    @Test
    void refusesGroupsOfAnotherPartitionOrOutOfOrder() {
        List<GroupState> groups = PartitionSnapshot.of(FLEET, 1).groups();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PartitionSnapshot(FLEET.partition(2), groups))
                .withMessageContaining("belongs to partition 1, not to 2");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PartitionSnapshot(FLEET.partition(1), groups.reversed()))
                .withMessageContaining("sorted by id");
    }

    @Test
    void restoreRefusesTwoSnapshotsOfOnePartition() {
        PartitionSnapshot snapshot = PartitionSnapshot.of(FLEET, 0);
        assertThatIllegalArgumentException().isThrownBy(() -> PartitionSnapshot.restore(List.of(snapshot, snapshot)))
                .withMessageContaining("two snapshots of partition 0");
    }
}
