package io.steward.core.citus;

import static io.steward.core.Clusters.LSN;
import static io.steward.core.Clusters.healthy;
import static io.steward.core.Clusters.three;
import static io.steward.core.GroupLog.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.steward.core.GroupLog;
import io.steward.core.config.ConfigTree;
import io.steward.core.model.Endpoints;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

class WantedTopologyTest {

    @Test
    void theLeaderIsPrimaryAndRunningReplicasAreSecondaries() {
        GroupLog log = three();

        assertThat(WantedTopology.of(log.group())).contains(new WantedGroup(0, address("n1"),
                java.util.stream.Stream.of(address("n2"), address("n3")).sorted().toList()));
        assertThat(WantedTopology.of(log.state(), GroupLog.GROUP.scope())).hasSize(1);
        assertThat(WantedTopology.of(log.state(), "another-scope")).isEmpty();
    }

    @Test
    void noloadbalanceMembersAreNotSecondaries() {
        GroupLog log = healthy(ConfigTree.EMPTY, GroupLog.empty().tags("n3", Tags.NONE.withNoloadbalance(true)),
                "n1", "n2", "n3");

        assertThat(WantedTopology.of(log.group()).orElseThrow().secondaries()).containsExactly(address("n2"));
    }

    @Test
    void aStoppedReplicaIsNotASecondary() {
        GroupLog log = three().at(1).heartbeat("n2", stopped(Role.REPLICA, LSN, 1, PgState.STOPPED));

        assertThat(WantedTopology.of(log.group()).orElseThrow().secondaries()).containsExactly(address("n3"));
    }

    @Test
    void noEntryWhileTheLeaderIsNotARunningPrimary() {
        GroupLog crashed = three().at(1).heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.CRASHED));
        assertThat(WantedTopology.of(crashed.group())).isEmpty();

        GroupLog silent = three().at(5).refreshAllBut("n1").declareFailures();
        assertThat(silent.group().members().get("n1").isFailed()).isTrue();
        assertThat(WantedTopology.of(silent.group())).isEqualTo(Optional.empty());
    }

    private static NodeAddress address(String member) {
        Endpoints endpoints = GroupLog.endpoints(member);
        return new NodeAddress(endpoints.host(), endpoints.port());
    }

    @Test
    void aGroupIsChangingLeaderFromTheFailureUntilTheNewLeaderRuns() {
        GroupLog healthy = three();
        assertThat(WantedTopology.primaryStops(healthy.state(), GroupLog.GROUP.scope())).isEmpty();

        GroupLog failed = three().at(5).refreshAllBut("n1").declareFailures();
        assertThat(WantedTopology.primaryStops(failed.state(), GroupLog.GROUP.scope()))
                .as("group 0 is the coordinator: never paused").isEmpty();

        GroupLog worker = io.steward.core.Clusters.healthy(ConfigTree.EMPTY,
                GroupLog.empty().group(new io.steward.core.model.GroupId("demo", 1)), "n1", "n2", "n3");
        assertThat(WantedTopology.primaryStops(worker.state(), "demo")).isEmpty();
        worker.at(5).refreshAllBut("n1").declareFailures();
        assertThat(WantedTopology.primaryStops(worker.state(), "demo")).as("leader held failed, successor not chosen")
                .containsExactly(java.util.Map.entry(1, new WantedTopology.PrimaryStop(Optional.empty(), null)));
        worker.lease(null, 20).decideAndApply(); // the lease expired: failover decided, n2 promoted
        assertThat(worker.group().transition()).isNotNull();
        assertThat(WantedTopology.primaryStops(worker.state(), "demo")).as("promotion of n2 under way")
                .containsExactly(java.util.Map.entry(1, new WantedTopology.PrimaryStop(Optional.of(address("n2")), null)));
    }
}
