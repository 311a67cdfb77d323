package io.steward.core.decide;

import static io.steward.core.Clusters.LSN;
import static io.steward.core.Clusters.three;
import static io.steward.core.GroupLog.noData;
import static io.steward.core.GroupLog.primary;
import static io.steward.core.GroupLog.replica;
import static io.steward.core.GroupLog.stopped;
import static io.steward.core.decide.Scenario.nothing;
import static io.steward.core.decide.Scenario.scenario;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.steward.core.GroupLog;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** The bootstrap race, cloning, and the members' steady state. */
class BootstrapScenariosTest {

    static Stream<Scenario> scenarios() {
        return Stream.of(
                scenario("first registered member bootstraps a new cluster",
                        () -> GroupLog.empty().register("n1").at(0.1).register("n2").at(0.2).register("n3"),
                        List.of("bootstrap decided n1", "bootstrap n1"), "n1 bootstraps a new cluster"),
                scenario("member tagged nofailover never bootstraps",
                        () -> GroupLog.empty().tags("n1", Tags.NONE.withNofailover(true)).register("n1").at(0.1)
                                .register("n2"),
                        List.of("bootstrap decided n2", "bootstrap n2"), "n2 bootstraps"),
                scenario("only nofailover members: wait for one that may bootstrap",
                        () -> GroupLog.empty().tags("n1", Tags.NONE.withNofailover(true)).register("n1"),
                        nothing(), "waiting for a member that may bootstrap"),
                scenario("member with existing data is adopted instead of running initdb",
                        () -> GroupLog.empty().register("n1").at(0.1).register("n2", 42L),
                        List.of("bootstrap decided n2", "bootstrap n2 adopt"), "from its existing data"),
                scenario("running primary with data is preferred over a stopped one",
                        () -> GroupLog.empty().register("n2", 42L).heartbeat("n2", stopped(Role.PRIMARY, "0/9000000", 1,
                                PgState.STOPPED)).register("n3", 42L).heartbeat("n3", primary("0/1000000", 1)),
                        List.of("bootstrap decided n3", "bootstrap n3 adopt"), "n3 bootstraps"),
                scenario("waits while the chosen member bootstraps",
                        () -> {
                            GroupLog log = GroupLog.empty().register("n1").register("n2");
                            log.decideAndApply();
                            return log.after(2).refresh("n1", "n2");
                        },
                        nothing(), "waiting for n1 to initialize the cluster"),
                scenario("failed bootstrap passes to the next member",
                        () -> {
                            GroupLog log = GroupLog.empty().register("n1").at(0.1).register("n2");
                            log.decideAndApply();
                            return log.at(1).answer("n1", Outcome.FAILED, null).refresh("n2");
                        },
                        List.of("bootstrap decided n2", "bootstrap n2"), "n1 failed to"),
                scenario("members without data clone from the leader once it runs",
                        () -> {
                            GroupLog log = GroupLog.empty().register("n1").register("n2").register("n3");
                            log.decideAndApply();
                            return log.at(1).ack("n1").initialized("n1").lease("n1", 5)
                                    .heartbeat("n1", primary(LSN, 1)).heartbeat("n2", noData()).heartbeat("n3", noData());
                        },
                        List.of("clone n2 from n1", "clone n3 from n1"), "bringing replicas in line"),
                scenario("new member clones from a replica tagged clonefrom",
                        () -> {
                            GroupLog log = GroupLog.empty().tags("n2", Tags.NONE.withClonefrom(true));
                            io.steward.core.Clusters.healthy(io.steward.core.config.ConfigTree.EMPTY, log, "n1", "n2");
                            return log.at(1).register("n3").heartbeat("n3", noData());
                        },
                        List.of("clone n3 from n2"), "bringing replicas in line"),
                scenario("member of another cluster is left alone",
                        () -> three().at(1).register("n4", 99L).heartbeat("n4", withSystemId(replica(LSN, 1, "n1"), 99L)),
                        nothing(), "n4 belongs to a different cluster"),
                scenario("healthy group needs no action",
                        () -> three().at(1).refreshAllBut(),
                        nothing(), "no action: n1 is the leader with the lease; n2 running from n1, n3 running from n1"),
                scenario("stopped replica is started as a replica of the leader",
                        () -> three().at(1).heartbeat("n2", stopped(Role.REPLICA, LSN, 1, PgState.STOPPED)),
                        List.of("follow n2->n1"), "bringing replicas in line"),
                scenario("replica streaming from the wrong upstream is pointed at the leader",
                        () -> three().at(1).heartbeat("n3", replica(LSN, 1, "n2")),
                        List.of("follow n3->n1"), "bringing replicas in line"),
                scenario("replica tagged replicatefrom streams from that member",
                        () -> {
                            GroupLog log = GroupLog.empty().tags("n3", Tags.NONE.withReplicatefrom("n2"));
                            return io.steward.core.Clusters.healthy(io.steward.core.config.ConfigTree.EMPTY, log, "n1",
                                    "n2", "n3");
                        },
                        List.of("follow n3->n2"), "bringing replicas in line"),
                scenario("replicatefrom falls back to the leader when its upstream is silent",
                        () -> {
                            GroupLog log = GroupLog.empty().tags("n3", Tags.NONE.withReplicatefrom("n2"));
                            io.steward.core.Clusters.healthy(io.steward.core.config.ConfigTree.EMPTY, log, "n1", "n2", "n3");
                            return log.at(5).heartbeat("n3", replica(LSN, 1, "n2")).refresh("n1").declareFailures();
                        },
                        List.of("follow n3->n1"), "bringing replicas in line"),
                scenario("former primary rejoins as a replica, rewinding if needed",
                        () -> three().at(1).heartbeat("n2", stopped(Role.PRIMARY, "0/5000100", 1, PgState.STOPPED)),
                        List.of("follow n2->n1"), "bringing replicas in line"),
                scenario("silent replica is declared failed while the others report",
                        () -> three().at(5).refreshAllBut("n3"),
                        List.of("failed n3"), "members fell silent"),
                scenario("when every member is silent nobody is declared failed",
                        () -> three().at(30).tick(),
                        nothing(), "waiting for n1's leader lease to expire"));
    }

    private static Observation withSystemId(Observation observation, long id) {
        return observation.withSystemIdentifier(id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decides(Scenario scenario) {
        scenario.check();
    }
}
