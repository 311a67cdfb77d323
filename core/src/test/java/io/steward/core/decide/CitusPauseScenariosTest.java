package io.steward.core.decide;

import static io.steward.core.Clusters.healthy;
import static io.steward.core.decide.Scenario.nothing;
import static io.steward.core.decide.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.steward.core.GroupLog;
import io.steward.core.citus.WantedTopology;
import io.steward.core.citus.WantedTopology.PrimaryStop;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.CitusEvent.CitusGroupPaused;
import io.steward.core.event.OperatorRequest.RestartRequested;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.core.model.GroupId;

/**
 * Planned stops of a Citus worker primary wait for citus-sync to pause the group on the
 * coordinator (Patroni's before_demote / before_shutdown handshake), with a deadline.
 */
class CitusPauseScenariosTest {

    static final GroupId WORKER = new GroupId("demo", 1);
    static final GroupId COORDINATOR = new GroupId("demo", 0);

    static GroupLog worker() {
        return healthy(ConfigTree.EMPTY, GroupLog.empty().group(WORKER), "n1", "n2", "n3");
    }

    static GroupLog switchover(GroupLog log) {
        return log.after(1).append(new SwitchoverRequested(log.request("alice"), "n1", "n3", null));
    }

    static GroupLog restart(GroupLog log, RoleFilter role) {
        return log.after(1).append(new RestartRequested(log.request("alice"), List.of(), role, false, null, null, 60));
    }

    /** The switchover's pause was asked for at 1 s. */
    static GroupLog switchoverAwaitingPause() {
        GroupLog log = switchover(worker().at(0));
        log.decideAndApply();
        return log;
    }

    static GroupLog paused(GroupLog log, String requestId) {
        return log.append(new CitusGroupPaused(COORDINATOR, WORKER, requestId, "c1", "127.0.0.1:5433", 12, "sync-a"));
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                scenario("a worker switchover asks for the coordinator's pause before demoting",
                        () -> switchover(worker()),
                        List.of("switchover started n1->n3", "citus pause before demote n1", "answer 202"),
                        "switchover from n1 to n3 started"),
                scenario("until citus-sync reports the pause, the leader is not demoted",
                        () -> switchoverAwaitingPause().at(2.5).refreshAllBut(),
                        nothing(), "waiting for citus-sync to pause Citus group 1 before the graceful demotion of n1"),
                scenario("once the group is paused, the leader is demoted",
                        () -> paused(switchoverAwaitingPause().at(1.2), "req-1"),
                        List.of("demote n1 graceful"), "citus-sync reports Citus group 1 paused (coordinator c1 paused "
                                + "127.0.0.1:5433, 0.2 s after it was asked)"),
                scenario("a pause reported for another request does not count",
                        () -> paused(switchoverAwaitingPause().at(1.2), "req-0"),
                        nothing(), "waiting for citus-sync"),
                scenario("without a report within the wait, the leader is demoted anyway, and the reason says so",
                        () -> switchoverAwaitingPause().at(4).refreshAllBut(),
                        List.of("demote n1 graceful"), "citus-sync did not report Citus group 1 paused within 3.0 s; "
                                + "going on without the pause"),
                scenario("the coordinator group never waits for a pause",
                        () -> switchover(healthy(ConfigTree.EMPTY, GroupLog.empty().group(COORDINATOR), "n1", "n2", "n3")),
                        List.of("switchover started n1->n3", "demote n1 graceful", "answer 202"), "switchover from n1"),
                scenario("with no wait configured, a worker is demoted at once",
                        () -> switchover(worker().policy(withWait(Duration.ZERO))),
                        List.of("switchover started n1->n3", "demote n1 graceful", "answer 202"), "switchover from n1"),
                scenario("a restart of a worker primary asks for the pause; its replicas restart at once",
                        () -> restart(worker(), RoleFilter.ANY),
                        List.of("citus pause before restart n1", "restart n2", "restart n3", "answer 202"),
                        "restart issued to n1, n2, n3"),
                scenario("the primary restarts once the group is paused",
                        () -> {
                            GroupLog log = restart(worker(), RoleFilter.PRIMARY);
                            log.decideAndApply();
                            return paused(log.after(0.1), "req-1");
                        },
                        List.of("restart n1"), "citus-sync reports Citus group 1 paused"));
    }

    static DecisionPolicy withWait(Duration wait) {
        DecisionPolicy d = DecisionPolicy.DEFAULT;
        return new DecisionPolicy(d.commandTimeout(), d.longCommandTimeout(), d.retryBackoff(), d.staleSchedule(),
                d.manualFailoverWait(), wait);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decides(Scenario scenario) {
        scenario.check();
    }

    @Test
    void theSwitchoverGoesOnAsUsualOnceTheHeldDemotionIsIssued() {
        GroupLog log = paused(switchoverAwaitingPause().at(1.2), "req-1");
        log.decideAndApply();
        assertThat(log.group().citusPause()).as("released by the demote command").isNull();
        assertThat(log.group().transition()).isInstanceOf(io.steward.core.state.Transition.Demotion.class);
        assertThat(((io.steward.core.state.Transition.Demotion) log.group().transition()).commandId()).isNotNull();
        log.at(1.5).answer("n1", Outcome.ACKNOWLEDGED, io.steward.core.model.Lsn.parse("0/5000028"));
        assertThat(GroupLog.describe(log.decide().events().get(0))).isEqualTo("promote n3 after 0/5000028");
    }

    @Test
    void citusSyncPausesFromTheRequestAndKnowsWhenItsReportIsAwaited() {
        GroupLog log = switchoverAwaitingPause();
        assertThat(WantedTopology.primaryStops(log.state(), "demo"))
                .containsEntry(1, new PrimaryStop(Optional.of(new io.steward.core.citus.NodeAddress(
                        GroupLog.endpoints("n3").host(), GroupLog.endpoints("n3").port())), "req-1"));
        paused(log.at(1.1), "req-1");
        assertThat(WantedTopology.primaryStops(log.state(), "demo").get(1).awaitingPause()).isNull();

        GroupLog restarting = restart(worker(), RoleFilter.PRIMARY);
        restarting.decideAndApply();
        assertThat(WantedTopology.primaryStops(restarting.state(), "demo"))
                .containsEntry(1, new PrimaryStop(Optional.empty(), "req-1"));
        paused(restarting.after(0.1), "req-1").decideAndApply(); // restart n1 issued
        assertThat(WantedTopology.primaryStops(restarting.state(), "demo"))
                .as("paused while the restart runs").containsEntry(1, new PrimaryStop(Optional.empty(), null));
        restarting.after(1).ack("n1");
        assertThat(WantedTopology.primaryStops(restarting.state(), "demo")).as("restarted: no longer paused").isEmpty();
    }

    @Test
    void aLeaderFailingWhileThePauseIsAwaitedDropsTheHeldStop() {
        GroupLog log = restart(worker().policy(withWait(Duration.ofMinutes(5))), RoleFilter.PRIMARY);
        log.decideAndApply();
        assertThat(log.group().citusPause()).isNotNull();
        log.at(40).refreshAllBut("n1").declareFailures();
        assertThat(log.group().citusPause()).isNull();
    }
}
