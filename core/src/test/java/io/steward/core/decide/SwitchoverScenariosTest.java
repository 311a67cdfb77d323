package io.steward.core.decide;

import static io.steward.core.Clusters.LSN;
import static io.steward.core.Clusters.config;
import static io.steward.core.Clusters.healthy;
import static io.steward.core.Clusters.leaderLost;
import static io.steward.core.Clusters.positions;
import static io.steward.core.Clusters.three;
import static io.steward.core.decide.Scenario.nothing;
import static io.steward.core.decide.Scenario.scenario;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.steward.core.GroupLog;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.CancelScheduledRequested;
import io.steward.core.event.OperatorRequest.FailoverRequested;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.core.model.Lsn;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** Switchovers and manual failovers, with Patroni's validation (its status codes and messages). */
class SwitchoverScenariosTest {

    static GroupLog switchover(GroupLog log, String leader, String candidate) {
        return log.after(1).append(new SwitchoverRequested(log.request("alice"), leader, candidate, null));
    }

    static GroupLog scheduled(GroupLog log, String leader, String candidate, double inSeconds) {
        log.after(1);
        return log.append(new SwitchoverRequested(log.request("alice"), leader, candidate,
                log.now().plusMillis((long) (inSeconds * 1000))));
    }

    static GroupLog failover(GroupLog log, String candidate) {
        return log.append(new FailoverRequested(log.request("bob"), candidate));
    }

    static GroupLog paused(GroupLog log) {
        return log.append(new MaintenanceModeChanged(1, GroupLog.GROUP, true, "alice", "r0"));
    }

    static GroupLog syncStandbys(GroupLog log, String... standbys) {
        return log.append(new SynchronousStandbysChanged(1, GroupLog.GROUP, "n1", List.of(standbys), 0, "test"));
    }

    /** A switchover from n1 to n3 whose demotion n1 acknowledged at checkpoint 0/5000028. */
    static GroupLog demoted() {
        GroupLog log = switchover(three(), "n1", "n3");
        log.decideAndApply();
        return log.at(1.3).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse("0/5000028"))
                .heartbeat("n1", GroupLog.stopped(Role.PRIMARY, "0/5000028", 1, PgState.STOPPED));
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                scenario("switchover to a named candidate demotes the leader gracefully first",
                        () -> switchover(three(), "n1", "n3"),
                        List.of("switchover started n1->n3", "demote n1 graceful", "answer 202"),
                        "202 switchover from n1 to n3 started"),
                scenario("switchover without candidate will promote the best member",
                        () -> switchover(three(), "n1", null),
                        List.of("switchover started n1->?", "demote n1 graceful", "answer 202"),
                        "switchover from n1 to n2 started"),
                scenario("while the leader shuts down, nothing else happens",
                        () -> {
                            GroupLog log = switchover(three(), "n1", "n3");
                            log.decideAndApply();
                            return log.at(1.1).refreshAllBut();
                        },
                        nothing(), "waiting for n1 to shut down cleanly"),
                scenario("the candidate is promoted once it has received the shutdown checkpoint",
                        SwitchoverScenariosTest::demoted,
                        List.of("promote n3 after 0/5000028", "follow n1->n3", "follow n2->n3"),
                        "n1 shut down at checkpoint 0/5000028: promoting n3 once it has received it"),
                scenario("the switchover completes when the candidate reports its promotion",
                        () -> {
                            GroupLog log = demoted();
                            log.decideAndApply();
                            return log.at(1.6).ack("n3").stateChanged("n3", StateChange.PROMOTED, Role.PRIMARY,
                                    PgState.RUNNING, 2, Lsn.parse("0/5000028"), "promoted");
                        },
                        List.of("switchover completed n1->n3"), "n3 is the primary on timeline 2"),
                scenario("the leader fails to demote: the switchover is aborted and it stays leader",
                        () -> {
                            GroupLog log = switchover(three(), "n1", "n3");
                            log.decideAndApply();
                            return log.at(1.2).answer("n1", Outcome.FAILED, null);
                        },
                        List.of("switchover aborted"), "n1 could not be demoted; it stays the leader"),
                scenario("the candidate fails to promote: the switchover is aborted",
                        () -> {
                            GroupLog log = demoted();
                            log.decideAndApply();
                            return log.at(2).answer("n3", Outcome.FAILED, null);
                        },
                        List.of("switchover aborted"), "n3's promote command ended without a promotion"),
                scenario("the named candidate became ineligible meanwhile: aborted after the shutdown",
                        () -> demoted().heartbeat("n3", GroupLog.stopped(Role.REPLICA, LSN, 1, PgState.STOPPED)),
                        List.of("switchover aborted"), "n3: PostgreSQL is stopped"),
                scenario("switchover with a leader name that does not match: 412",
                        () -> switchover(three(), "n2", "n3"),
                        List.of("answer 412"), "leader name does not match"),
                scenario("switchover to the leader itself: 400",
                        () -> switchover(three(), "n1", "n1"),
                        List.of("answer 400"), "Switchover target and source are the same"),
                scenario("switchover without a leader name: 400",
                        () -> switchover(three(), null, "n2"),
                        List.of("answer 400"), "Switchover could be performed only from a specific leader"),
                scenario("switchover to an unknown candidate: 412",
                        () -> switchover(three(), "n1", "n9"),
                        List.of("answer 412"), "candidate n9 does not exist"),
                scenario("switchover to a candidate tagged nofailover: 412",
                        () -> switchover(healthy(ConfigTree.EMPTY, GroupLog.empty().tags("n2", Tags.NONE.withNofailover(true)),
                                "n1", "n2", "n3"), "n1", "n2"),
                        List.of("answer 412"), "switchover is not possible: n2 tagged nofailover"),
                scenario("switchover in synchronous mode to an asynchronous candidate: 412",
                        () -> switchover(syncStandbys(healthy(config("synchronous_mode", true), "n1", "n2", "n3"), "n2"),
                                "n1", "n3"),
                        List.of("answer 412"), "candidate name does not match with sync_standby"),
                scenario("switchover in synchronous mode without any synchronous standby: 412",
                        () -> switchover(healthy(config("synchronous_mode", true), "n1", "n2", "n3"), "n1", null),
                        List.of("answer 412"), "can not find sync_standby"),
                scenario("switchover in a one-member group: 412",
                        () -> switchover(healthy("n1"), "n1", null),
                        List.of("answer 412"), "cluster does not have members except leader"),
                scenario("switchover when no member qualifies: 412 with the reasons",
                        () -> switchover(healthy(ConfigTree.EMPTY, GroupLog.empty().tags("n2", Tags.NONE.withNofailover(true)),
                                "n1", "n2"), "n1", null),
                        List.of("answer 412"), "no good candidates have been found (n2: tagged nofailover)"),
                scenario("switchover without candidate in maintenance mode: 400",
                        () -> switchover(paused(three()), "n1", null),
                        List.of("answer 400"), "Switchover is possible only to a specific candidate in a paused state"),
                scenario("switchover to a candidate in maintenance mode is allowed",
                        () -> switchover(paused(three()), "n1", "n2"),
                        List.of("switchover started n1->n2", "demote n1 graceful", "answer 202"), "started"),
                scenario("scheduled switchover in maintenance mode: 400",
                        () -> scheduled(paused(three()), "n1", "n2", 60),
                        List.of("answer 400"), "Can't schedule switchover in the paused state"),
                scenario("scheduled switchover is recorded and accepted: 202",
                        () -> scheduled(three(), "n1", "n2", 60),
                        List.of("scheduled switchover", "answer 202"), "Switchover scheduled at 2026-01-01T00:01:01Z"),
                scenario("a second scheduled switchover: 409",
                        () -> {
                            GroupLog log = scheduled(three(), "n1", "n2", 60);
                            log.decideAndApply();
                            return scheduled(log, "n1", "n3", 90);
                        },
                        List.of("answer 409"), "a switchover is already scheduled"),
                scenario("a scheduled switchover starts at its time",
                        () -> {
                            GroupLog log = scheduled(three(), "n1", "n2", 60);
                            log.decideAndApply();
                            return log.at(61.2).refreshAllBut();
                        },
                        List.of("switchover started n1->n2", "demote n1 graceful"), "scheduled switchover from n1 to n2"),
                scenario("a scheduled switchover that is not possible at its time is cancelled",
                        () -> {
                            GroupLog log = scheduled(three(), "n1", "n2", 60);
                            log.decideAndApply();
                            return log.at(61.2).refreshAllBut("n2").heartbeat("n2",
                                    GroupLog.stopped(Role.REPLICA, LSN, 1, PgState.STOPPED));
                        },
                        List.of("unscheduled switchover"), "scheduled switchover is not possible: switchover is not possible: n2 PostgreSQL is stopped"),
                scenario("a stale scheduled switchover is dropped, not run",
                        () -> {
                            GroupLog log = scheduled(three(), "n1", "n2", 10);
                            log.decideAndApply();
                            return log.at(400).refreshAllBut();
                        },
                        List.of("unscheduled switchover"), "stale scheduled switchover dropped"),
                scenario("cancelling a scheduled switchover: 200",
                        () -> {
                            GroupLog log = scheduled(three(), "n1", "n2", 60);
                            log.decideAndApply();
                            return log.append(new CancelScheduledRequested(log.request("carol"), ActionKind.SWITCHOVER));
                        },
                        List.of("unscheduled switchover", "answer 200"), "scheduled switchover deleted"),
                scenario("cancelling when nothing is scheduled: 404",
                        () -> three().append(new CancelScheduledRequested(three().request("carol"), ActionKind.SWITCHOVER)),
                        List.of("answer 404"), "no switchover is scheduled"),
                scenario("a switchover request during a failover: 409",
                        () -> {
                            GroupLog log = leaderLost(three(), 6, positions("n2", LSN, "n3", LSN));
                            log.decideAndApply();
                            return switchover(log, "n2", "n3");
                        },
                        List.of("answer 409"), "a failover from n1 to n2 is in progress"),
                scenario("manual failover without candidate: 400",
                        () -> failover(three(), null),
                        List.of("answer 400"), "Failover could be performed only to a specific candidate"),
                scenario("manual failover to a member tagged nofailover: 412",
                        () -> failover(healthy(ConfigTree.EMPTY, GroupLog.empty().tags("n2", Tags.NONE.withNofailover(true)),
                                "n1", "n2", "n3"), "n2"),
                        List.of("answer 412"), "n2 is not allowed to promote (nofailover)"),
                scenario("manual failover to the healthy leader itself: 412",
                        () -> failover(three(), "n1"),
                        List.of("answer 412"), "n1 is already the leader"),
                scenario("manual failover with a healthy leader runs as a graceful switchover",
                        () -> failover(three(), "n3"),
                        List.of("switchover started n1->n3", "demote n1 graceful", "answer 202"), "failover from n1 to n3 started"),
                scenario("manual failover in synchronous mode may name an asynchronous standby",
                        () -> failover(syncStandbys(healthy(config("synchronous_mode", true), "n1", "n2", "n3"), "n2"), "n3"),
                        List.of("switchover started n1->n3", "demote n1 graceful", "answer 202"), "started"),
                scenario("manual failover without a leader promotes the named member even if it lags",
                        () -> {
                            GroupLog log = healthy(config("maximum_lag_on_failover", 16), "n1", "n2", "n3");
                            log.at(1).heartbeat("n1", GroupLog.primary("0/5100000", 1)).refreshAllBut("n1");
                            return failover(leaderLost(log, 6, positions("n2", LSN, "n3", LSN)), "n3");
                        },
                        List.of("failover n1->n3", "promote n3", "follow n2->n3", "answer 202"), "failover to n3 started"),
                scenario("manual failover waits while the old leader still holds its lease",
                        () -> failover(three().at(5).refreshAllBut("n1").declareFailures(), "n3"),
                        nothing(), "manual failover to n3 waits for n1's leader lease to go"),
                scenario("manual failover gives up when the old lease never goes",
                        () -> {
                            GroupLog log = failover(three().at(5).refreshAllBut("n1").declareFailures(), "n3");
                            return log.at(70).refreshAllBut("n1");
                        },
                        List.of("answer 503"), "n1 still holds the leader lease"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decides(Scenario scenario) {
        scenario.check();
    }
}
