package io.steward.core.decide;

import static io.steward.core.Clusters.LSN;
import static io.steward.core.Clusters.config;
import static io.steward.core.Clusters.healthy;
import static io.steward.core.Clusters.leaderLost;
import static io.steward.core.Clusters.positions;
import static io.steward.core.Clusters.three;
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
import io.steward.core.config.ConfigTree;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** Failure detection, fencing, candidate choice and crash recovery (Patroni's leader race and recover()). */
class FailoverScenariosTest {

    private static GroupLog tagged(String member, Tags tags) {
        return GroupLog.empty().tags(member, tags);
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                scenario("silent leader holding its lease is declared failed, nobody promoted yet",
                        () -> three().at(5).refreshAllBut("n1"),
                        List.of("failed n1"), "members fell silent"),
                scenario("silent leader holding its lease: wait for the lease to expire",
                        () -> three().at(5).refreshAllBut("n1").declareFailures(),
                        nothing(), "waiting for n1's leader lease to expire"),
                scenario("promotes the most advanced replica once the leader's lease expired",
                        () -> leaderLost(three(), 5, positions("n2", "0/5000060", "n3", LSN)),
                        List.of("failover n1->n2", "promote n2", "follow n3->n2"),
                        "n2 has the most advanced WAL position 0/5000060"),
                scenario("equal WAL position: the higher failover_priority wins",
                        () -> leaderLost(healthy(ConfigTree.EMPTY, tagged("n3", Tags.NONE.withFailoverPriority(2)),
                                "n1", "n2", "n3"), 5, positions("n2", LSN, "n3", LSN)),
                        List.of("failover n1->n3", "promote n3", "follow n2->n3"), "promoting n3"),
                scenario("a higher failover_priority does not beat a more advanced replica",
                        () -> leaderLost(healthy(ConfigTree.EMPTY, tagged("n3", Tags.NONE.withFailoverPriority(5)),
                                "n1", "n2", "n3"), 5, positions("n2", "0/5000100", "n3", LSN)),
                        List.of("failover n1->n2", "promote n2", "follow n3->n2"), "promoting n2"),
                scenario("equal WAL position and priority: the name decides, deterministically",
                        () -> leaderLost(three(), 5, positions("n3", LSN, "n2", LSN)),
                        List.of("failover n1->n2", "promote n2", "follow n3->n2"), "promoting n2"),
                scenario("a replica tagged nofailover is never promoted, even when ahead",
                        () -> leaderLost(healthy(ConfigTree.EMPTY, tagged("n2", Tags.NONE.withNofailover(true)),
                                "n1", "n2", "n3"), 5, positions("n2", "0/5000100", "n3", LSN)),
                        List.of("failover n1->n3", "promote n3", "follow n2->n3"), "promoting n3"),
                scenario("failover_priority 0 means never promoted",
                        () -> leaderLost(healthy(ConfigTree.EMPTY, tagged("n2", Tags.NONE.withFailoverPriority(0)),
                                "n1", "n2", "n3"), 5, positions("n2", "0/5000100", "n3", LSN)),
                        List.of("failover n1->n3", "promote n3", "follow n2->n3"), "promoting n3"),
                scenario("a replica beyond maximum_lag_on_failover is passed over",
                        () -> {
                            GroupLog log = healthy(config("maximum_lag_on_failover", 1024), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", primary("0/5100000", 1)).refreshAllBut("n1");
                            return leaderLost(log, 6, positions("n2", LSN, "n3", "0/50FFF00"));
                        },
                        List.of("failover n1->n3", "promote n3", "follow n2->n3"), "promoting n3"),
                scenario("every replica beyond maximum_lag_on_failover: failover blocked, with the reason",
                        () -> {
                            GroupLog log = healthy(config("maximum_lag_on_failover", 1024), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", primary("0/5100000", 1)).refreshAllBut("n1");
                            return leaderLost(log, 6, positions("n2", LSN, "n3", LSN));
                        },
                        List.of("failover blocked (no-candidate)"), "n2: lags 1.0 MiB behind (maximum_lag_on_failover 1.0 KiB)"),
                scenario("a blocked failover is recorded once, not on every tick",
                        () -> {
                            GroupLog log = healthy(config("maximum_lag_on_failover", 1024), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", primary("0/5100000", 1)).refreshAllBut("n1");
                            leaderLost(log, 6, positions("n2", LSN, "n3", LSN)).decideAndApply();
                            return log.after(1).refresh("n2", "n3").tick();
                        },
                        nothing(), "no member can be promoted"),
                scenario("check_timeline passes over a replica on an older timeline",
                        () -> {
                            GroupLog log = healthy(config("check_timeline", true), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", primary(LSN, 2));
                            log.at(6).heartbeat("n2", replica("0/5000100", 1, "n1")).heartbeat("n3", replica(LSN, 2, "n1"));
                            return leaderLost(log, 6, java.util.Map.of());
                        },
                        List.of("failover n1->n3", "promote n3", "follow n2->n3"), "promoting n3"),
                scenario("without check_timeline the timeline does not matter",
                        () -> {
                            GroupLog log = three();
                            log.at(1).heartbeat("n1", primary(LSN, 2));
                            log.at(6).heartbeat("n2", replica("0/5000100", 1, "n1")).heartbeat("n3", replica(LSN, 2, "n1"));
                            return leaderLost(log, 6, java.util.Map.of());
                        },
                        List.of("failover n1->n2", "promote n2", "follow n3->n2"), "promoting n2"),
                scenario("silent replicas are not candidates",
                        () -> leaderLost(three(), 5, positions("n3", LSN)).tick(),
                        List.of("failover n1->n3", "promote n3"), "promoting n3"),
                scenario("a stopped replica is not a candidate",
                        () -> leaderLost(three(), 5, positions("n3", LSN))
                                .heartbeat("n2", stopped(Role.REPLICA, "0/5000100", 1, PgState.STOPPED)),
                        List.of("failover n1->n3", "promote n3", "follow n2->n3"), "promoting n3"),
                scenario("no failover while another member still runs as primary",
                        () -> leaderLost(three(), 5, positions("n3", LSN)).heartbeat("n2", primary(LSN, 1)),
                        List.of("failover blocked (primary-alive)"), "n2 still runs as primary"),
                scenario("no failover in maintenance mode",
                        () -> {
                            GroupLog log = three();
                            log.append(new io.steward.core.event.DeciderEvent.MaintenanceModeChanged(1,
                                    GroupLog.GROUP, true, "alice", "r0"));
                            return leaderLost(log, 5, positions("n2", LSN, "n3", LSN));
                        },
                        nothing(), "PAUSE"),
                scenario("no failover before the lease was ever observed",
                        () -> {
                            GroupLog log = GroupLog.empty().register("n1").register("n2").initialized("n1");
                            log.heartbeat("n1", primary(LSN, 1)).heartbeat("n2", replica(LSN, 1, "n1"));
                            return log.at(5).refresh("n2").declareFailures();
                        },
                        nothing(), "waiting to observe the leader lease in etcd"),
                scenario("a former leader reporting running as primary after losing its lease blocks the failover",
                        () -> three().at(3).lease(null, 20).at(3.2).refreshAllBut(),
                        List.of("failover blocked (former-primary-running)"), "n1 reports running as primary after it lost its lease"),
                scenario("a dead primary's last heartbeat, still within ttl, does not delay the failover",
                        () -> three().at(1.5).refreshAllBut().at(5).refresh("n2", "n3").lease(null, 20),
                        List.of("failover n1->n2", "promote n2", "follow n3->n2"), "promoting n2"),
                scenario("a former leader that stopped is only the last resort",
                        () -> leaderLost(three(), 5, positions("n2", LSN, "n3", LSN))
                                .heartbeat("n1", stopped(Role.PRIMARY, "0/5000100", 1, PgState.STOPPED)),
                        List.of("failover n1->n2", "promote n2", "follow n1->n2", "follow n3->n2"), "promoting n2"),
                scenario("a stopped former leader is restarted as primary when nobody else can lead",
                        () -> leaderLost(healthy(ConfigTree.EMPTY, tagged("n2", Tags.NONE.withNofailover(true)),
                                "n1", "n2"), 5, positions("n2", LSN))
                                .heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.STOPPED)),
                        List.of("failover n1->n1", "promote n1"), "promoting n1 again"),
                scenario("a command to an agent that restarted since is withdrawn at once, not after its timeout",
                        () -> {
                            GroupLog log = three().at(1).heartbeat("n2", stopped(Role.REPLICA, LSN, 1, PgState.STOPPED));
                            log.decideAndApply();
                            return log.at(3).restartAgent("n2")
                                    .heartbeat("n2", stopped(Role.REPLICA, LSN, 1, PgState.STOPPED));
                        },
                        List.of("expired"), "commands to a restarted agent withdrawn"),
                scenario("a withdrawn command is issued again to the new agent",
                        () -> {
                            GroupLog log = three().at(1).heartbeat("n2", stopped(Role.REPLICA, LSN, 1, PgState.STOPPED));
                            log.decideAndApply();
                            log.at(3).restartAgent("n2").heartbeat("n2", stopped(Role.REPLICA, LSN, 1, PgState.STOPPED))
                                    .decideAndApply();
                            return log;
                        },
                        List.of("follow n2->n1"), "bringing replicas in line"),
                scenario("crashed primary holding its lease is restarted in place",
                        () -> three().at(1).heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.CRASHED)),
                        List.of("restart n1"), "n1's PostgreSQL is crashed: restart it in place"),
                scenario("primary_start_timeout 0: a crashed primary is demoted at once to fail over",
                        () -> healthy(config("primary_start_timeout", 0), "n1", "n2", "n3").at(1)
                                .heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.CRASHED)).refreshAllBut("n1"),
                        List.of("demote n1 immediate"), "primary_start_timeout is 0: failing over to n2"),
                scenario("primary_start_timeout 0 but nobody can replace it: restart in place",
                        () -> {
                            GroupLog log = tagged("n2", Tags.NONE.withNofailover(true));
                            return healthy(config("primary_start_timeout", 0), log, "n1", "n2").at(1)
                                    .heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.CRASHED));
                        },
                        List.of("restart n1"), "no member could replace it"),
                scenario("a primary still starting within primary_start_timeout is waited for",
                        () -> {
                            GroupLog log = healthy(config("primary_start_timeout", 10), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.CRASHED)).decideAndApply();
                            return log.at(2).heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.STARTING))
                                    .at(8).refreshAllBut();
                        },
                        nothing(), "n1's PostgreSQL is starting: 6.0 s of 10.0 s"),
                scenario("a primary that does not start within primary_start_timeout is demoted",
                        () -> {
                            GroupLog log = healthy(config("primary_start_timeout", 10), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.CRASHED)).decideAndApply();
                            return log.at(2).heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.STARTING))
                                    .at(12.5).refreshAllBut();
                        },
                        List.of("demote n1 immediate"), "has not been running for 10.5 s"),
                scenario("after the crashed primary released its lease a replica takes over",
                        () -> {
                            GroupLog log = healthy(config("primary_start_timeout", 0), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.CRASHED)).decideAndApply();
                            return log.at(1.2).ack("n1").heartbeat("n1", stopped(Role.PRIMARY, LSN, 1, PgState.STOPPED))
                                    .lease(null, 30);
                        },
                        List.of("failover n1->n2", "promote n2", "follow n1->n2", "follow n3->n2"), "promoting n2"),
                scenario("a leader that holds its lease but runs as a replica is promoted",
                        () -> three().at(1).heartbeat("n1", replica(LSN, 1, null)),
                        List.of("promote n1"), "holds the leader lease but runs as a replica"),
                scenario("the failover completes when the new leader reports its promotion",
                        () -> {
                            GroupLog log = leaderLost(three(), 5, positions("n2", "0/5000060", "n3", LSN));
                            log.decideAndApply();
                            return log.at(5.3).ack("n2").stateChanged("n2",
                                    io.steward.core.event.AgentEvent.StateChange.PROMOTED, Role.PRIMARY, PgState.RUNNING,
                                    2, io.steward.core.model.Lsn.parse("0/5000060"), "promoted");
                        },
                        List.of("failover completed n2"), "n2 is the primary on timeline 2, 0.3 s after the decision"),
                scenario("a promotion that fails ends the attempt so another member can be chosen",
                        () -> {
                            GroupLog log = leaderLost(three(), 5, positions("n2", "0/5000060", "n3", LSN));
                            log.decideAndApply();
                            return log.at(5.5).answer("n2", io.steward.core.event.AgentEvent.Outcome.FAILED, null);
                        },
                        List.of("failover blocked (promotion-failed)"), "n2's promote command ended without a promotion"),
                scenario("a new leader that dies while promoting is given up once silent with its lease gone",
                        () -> {
                            GroupLog log = leaderLost(three(), 5, positions("n2", "0/5000060", "n3", LSN));
                            log.decideAndApply();
                            log.at(5.2).lease("n2", 21).decideAndApply();
                            return log.at(9.5).lease(null, 22).refresh("n3");
                        },
                        List.of("expired"), "n2 fell silent while promoting"),
                scenario("a new leader still reporting is waited for although the lease is free",
                        () -> {
                            GroupLog log = leaderLost(three(), 5, positions("n2", "0/5000060", "n3", LSN));
                            log.decideAndApply();
                            return log.at(9.5).lease(null, 22).refresh("n2", "n3");
                        },
                        nothing(), "waiting for n2 to promote"),
                scenario("after a failed promotion the next best member is promoted",
                        () -> {
                            GroupLog log = leaderLost(three(), 5, positions("n2", "0/5000060", "n3", LSN));
                            log.decideAndApply();
                            log.at(5.5).answer("n2", io.steward.core.event.AgentEvent.Outcome.FAILED, null)
                                    .decideAndApply();
                            return log.at(5.6).refresh("n2", "n3");
                        },
                        List.of("failover n2->n3", "promote n3", "follow n2->n3"), "promoting n3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decides(Scenario scenario) {
        scenario.check();
    }
}
