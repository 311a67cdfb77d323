package io.steward.events.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.steward.core.command.Command;
import io.steward.core.event.OperatorRequest;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.Transition;

/** Every partition snapshot of realistic folded states comes back exactly as it was written. */
class SnapshotRoundTripTest {

    @Test
    void everyPartitionOfSimulatedAndScenarioStatesRoundTripsExactly() {
        List<ClusterState> states = new ArrayList<>(SnapshotStates.simulated(4, 120_000, 25));
        states.addAll(SnapshotStates.scenarios());
        states.add(SnapshotStates.fleet(SnapshotStates.scenarios(), 4));
        states.add(SnapshotStates.unusualValues());
        Coverage coverage = new Coverage();
        int largest = 0;
        int snapshots = 0;
        for (ClusterState state : states) {
            for (Integer partition : state.partitions().sortedKeys(Integer::compareTo)) {
                PartitionSnapshot snapshot = PartitionSnapshot.of(state, partition);
                byte[] bytes = SnapshotCodec.encode(snapshot);
                assertRoundTrips(snapshot, bytes);
                snapshot.groups().forEach(coverage::add);
                largest = Math.max(largest, bytes.length);
                snapshots++;
            }
        }
        System.out.printf("%d snapshots of %d states round-tripped; largest encoded snapshot: %d bytes%n",
                snapshots, states.size(), largest);
        coverage.assertComplete();
    }

    @Test
    void restoringEveryPartitionOfAFleetGivesTheStateBack() {
        ClusterState fleet = SnapshotStates.fleet(SnapshotStates.scenarios(), 4);
        List<PartitionSnapshot> decoded = new ArrayList<>();
        for (Integer partition : fleet.partitions().sortedKeys(Integer::compareTo)) {
            decoded.add(SnapshotCodec.decode(SnapshotCodec.encode(PartitionSnapshot.of(fleet, partition))).orElseThrow());
        }
        assertThat(decoded).allSatisfy(snapshot -> assertThat(snapshot.groups()).isNotEmpty());
        assertThat(PartitionSnapshot.restore(decoded)).isEqualTo(fleet);
    }

    private static void assertRoundTrips(PartitionSnapshot snapshot, byte[] bytes) {
        PartitionSnapshot back = SnapshotCodec.decode(bytes).orElseThrow();
        if (!back.equals(snapshot)) {
            // Names the first field that differs, which plain equals cannot.
            assertThat(back).usingRecursiveComparison().isEqualTo(snapshot);
        }
        assertThat(back).isEqualTo(snapshot);
        assertThat(back.position()).isEqualTo(snapshot.position());
    }

    /** Which of the fields that need care the round-tripped groups held. */
    private static final class Coverage {
        private final Set<String> seen = new HashSet<>();
        private final Set<Transition.Kind> kinds = EnumSet.noneOf(Transition.Kind.class);
        private final Set<String> commandKinds = new HashSet<>();
        private final Set<String> requestKinds = new HashSet<>();

        void add(GroupState group) {
            mark("requests", !group.requests().isEmpty());
            mark("scheduled", !group.scheduled().isEmpty());
            mark("commands", !group.commands().isEmpty());
            mark("history", !group.history().isEmpty());
            mark("commandFailures", !group.commandFailures().isEmpty());
            mark("paused", group.paused());
            mark("patched config", group.config().version() > 1);
            mark("sync standbys", !group.sync().standbys().isEmpty());
            mark("failed member", group.members().values().stream().anyMatch(m -> m.isFailed()));
            if (group.transition() != null) {
                seen.add(group.transition().getClass().getSimpleName());
                kinds.add(group.transition().kind());
            }
            group.commands().values().forEach(pending -> commandKinds.add(pending.command().kind()));
            group.requests().forEach(open -> requestKinds.add(open.request().kind()));
        }

        private void mark(String what, boolean present) {
            if (present) {
                seen.add(what);
            }
        }

        void assertComplete() {
            System.out.printf("covered %s; transitions %s; commands %s; requests %s%n", seen, kinds, commandKinds,
                    requestKinds);
            assertThat(seen).contains("requests", "scheduled", "commands", "history", "commandFailures", "paused",
                    "patched config", "sync standbys", "failed member", "Demotion", "Promotion");
            assertThat(kinds).containsExactlyInAnyOrder(Transition.Kind.values());
            assertThat(commandKinds).hasSize(Command.class.getPermittedSubclasses().length);
            assertThat(requestKinds).hasSizeGreaterThanOrEqualTo(OperatorRequest.class.getPermittedSubclasses().length);
        }
    }
}
