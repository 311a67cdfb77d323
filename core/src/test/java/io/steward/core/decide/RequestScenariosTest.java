package io.steward.core.decide;

import static io.steward.core.Clusters.config;
import static io.steward.core.Clusters.three;
import static io.steward.core.decide.Scenario.scenario;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.steward.core.GroupLog;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.OperatorRequest.ConfigurationPatchRequested;
import io.steward.core.event.OperatorRequest.PauseRequested;
import io.steward.core.event.OperatorRequest.ReinitializeRequested;
import io.steward.core.event.OperatorRequest.ReloadRequested;
import io.steward.core.event.OperatorRequest.RemoveClusterRequested;
import io.steward.core.event.OperatorRequest.RestartRequested;
import io.steward.core.event.OperatorRequest.ResumeRequested;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;

/** Restart, reload, reinitialize, maintenance mode, configuration and removal requests. */
class RequestScenariosTest {

    static GroupLog restart(GroupLog log, List<String> members, RoleFilter role, boolean pendingOnly, Double inSeconds) {
        log.after(1);
        return log.append(new RestartRequested(log.request("alice"), members, role, pendingOnly,
                inSeconds == null ? null : log.now().plusMillis((long) (inSeconds * 1000)), null, null));
    }

    static GroupLog patch(GroupLog log, ConfigTree patch, Long expectedVersion) {
        return log.after(1).append(new ConfigurationPatchRequested(log.request("alice"), patch, expectedVersion));
    }

    static Observation pendingRestart(Observation observation) {
        return new Observation(observation.role(), observation.state(), observation.timeline(), observation.writeLsn(),
                observation.flushLsn(), observation.receiveLsn(), observation.replayLsn(), observation.replicationState(),
                observation.upstream(), true, java.util.Map.of("max_connections", "100 -> 200"),
                observation.replication(), observation.systemIdentifier(), observation.synchronousStandbyNames(),
                observation.postmasterStartTime(), observation.configVersion(), null, null);
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                scenario("restart with role replica restarts only the replicas",
                        () -> restart(three(), List.of(), RoleFilter.REPLICA, false, null),
                        List.of("restart n2", "restart n3", "answer 202"), "restart issued to n2, n3"),
                scenario("restart with role primary restarts only the leader",
                        () -> restart(three(), List.of(), RoleFilter.PRIMARY, false, null),
                        List.of("restart n1", "answer 202"), "restart issued to n1"),
                scenario("restart of pending members only restarts those with a pending restart",
                        () -> restart(three().heartbeat("n3", pendingRestart(GroupLog.replica("0/5000000", 1, "n1"))),
                                List.of(), RoleFilter.ANY, true, null),
                        List.of("restart n3", "answer 202"), "restart issued to n3"),
                scenario("restart when no member matches: 412",
                        () -> restart(three(), List.of(), RoleFilter.ANY, true, null),
                        List.of("answer 412"), "restart conditions are not satisfied: no member matches (pending restart)"),
                scenario("restart of an unknown member: 400",
                        () -> restart(three(), List.of("n9"), RoleFilter.ANY, false, null),
                        List.of("answer 400"), "not members of demo/0: n9"),
                scenario("a scheduled restart is recorded: 202",
                        () -> restart(three(), List.of("n2"), RoleFilter.ANY, false, 60.0),
                        List.of("scheduled restart", "answer 202"), "Restart scheduled at"),
                scenario("a second scheduled restart: 409",
                        () -> {
                            GroupLog log = restart(three(), List.of("n2"), RoleFilter.ANY, false, 60.0);
                            log.decideAndApply();
                            return restart(log, List.of("n3"), RoleFilter.ANY, false, 60.0);
                        },
                        List.of("answer 409"), "Another restart is already scheduled"),
                scenario("a scheduled restart in maintenance mode: 400",
                        () -> restart(three().append(new MaintenanceModeChanged(1, GroupLog.GROUP, true, "a", "r")),
                                List.of("n2"), RoleFilter.ANY, false, 60.0),
                        List.of("answer 400"), "Can't schedule restart in the paused state"),
                scenario("a scheduled restart runs at its time",
                        () -> {
                            GroupLog log = restart(three(), List.of("n2"), RoleFilter.ANY, false, 60.0);
                            log.decideAndApply();
                            return log.at(61.5).refreshAllBut();
                        },
                        List.of("restart n2", "unscheduled restart"), "scheduled restart issued to n2"),
                scenario("a scheduled restart whose conditions no longer hold does nothing",
                        () -> {
                            GroupLog log = restart(three(), List.of("n2"), RoleFilter.PRIMARY, false, 60.0);
                            log.decideAndApply();
                            return log.at(61.5).refreshAllBut();
                        },
                        List.of("unscheduled restart"), "Scheduled restart: restart conditions are not satisfied"),
                scenario("reload of every member: 202",
                        () -> three().after(1).append(new ReloadRequested(three().request("bob"), List.of(), RoleFilter.ANY)),
                        List.of("reload n1", "reload n2", "reload n3", "answer 202"), "reload scheduled on n1, n2, n3"),
                scenario("reinitialize of the leader: 503",
                        () -> three().append(new ReinitializeRequested(three().request("bob"), "n1", false, false)),
                        List.of("answer 503"), "n1 is the leader, can not reinitialize"),
                scenario("reinitialize of a replica clones it again from the leader: 200",
                        () -> three().append(new ReinitializeRequested(three().request("bob"), "n2", false, true)),
                        List.of("reinitialize n2 from n1", "answer 200"), "reinitialize started"),
                scenario("reinitialize of a busy member without force: 503",
                        () -> {
                            GroupLog log = restart(three(), List.of("n2"), RoleFilter.ANY, false, null);
                            log.decideAndApply();
                            return log.append(new ReinitializeRequested(log.request("bob"), "n2", false, true));
                        },
                        List.of("answer 503"), "restart already in progress on n2"),
                scenario("reinitialize of a busy member with force goes ahead",
                        () -> {
                            GroupLog log = restart(three(), List.of("n2"), RoleFilter.ANY, false, null);
                            log.decideAndApply();
                            return log.append(new ReinitializeRequested(log.request("bob"), "n2", true, true));
                        },
                        List.of("reinitialize n2 from n1", "answer 200"), "reinitialize started"),
                scenario("reinitialize without a healthy leader: 503",
                        () -> three().at(6).refreshAllBut("n1").declareFailures()
                                .append(new ReinitializeRequested(three().request("bob"), "n2", false, true)),
                        List.of("answer 503"), "Cluster has no leader, can not reinitialize"),
                scenario("pause switches maintenance mode on: 200",
                        () -> three().append(new PauseRequested(three().request("carol"))),
                        List.of("paused", "answer 200"), "maintenance mode on"),
                scenario("pause when already paused: 409",
                        () -> three().append(new MaintenanceModeChanged(1, GroupLog.GROUP, true, "a", "r"))
                                .append(new PauseRequested(three().request("carol"))),
                        List.of("answer 409"), "Cluster is already paused"),
                scenario("resume when not paused: 409",
                        () -> three().append(new ResumeRequested(three().request("carol"))),
                        List.of("answer 409"), "Cluster is not paused"),
                scenario("in maintenance mode a crashed primary is left alone",
                        () -> three().append(new MaintenanceModeChanged(1, GroupLog.GROUP, true, "a", "r")).at(1)
                                .heartbeat("n1", GroupLog.stopped(Role.PRIMARY, "0/5000000", 1, PgState.CRASHED)),
                        List.of(), "PAUSE: n1's PostgreSQL is crashed; nothing is done in maintenance mode"),
                scenario("a configuration patch becomes the next version: 200",
                        () -> patch(three(), config("ttl", 6), 1L),
                        List.of("config v2", "answer 200"), "configuration version 2"),
                scenario("members are handed the new configuration version",
                        () -> {
                            GroupLog log = patch(three(), config("postgresql.parameters.work_mem", "8MB"), null);
                            log.decideAndApply();
                            return log.after(1).refreshAllBut();
                        },
                        List.of("apply-config n1 v2", "apply-config n2 v2", "apply-config n3 v2"),
                        "handing out configuration version 2"),
                scenario("a configuration patch against a stale version: 409",
                        () -> patch(three(), config("ttl", 6), 0L),
                        List.of("answer 409"), "it is at version 1, the patch expected 0"),
                scenario("an invalid configuration names the key and what is wrong: 400",
                        () -> patch(three(), config("ttl", "soon", "postgresql.parameters.max_connections", 10), null),
                        List.of("answer 400"),
                        "ttl: must be a whole number, got 'soon'; postgresql.parameters.max_connections: must be a whole number of at least 25, got '10'"),
                scenario("a patch with pause switches maintenance mode, as Patroni's PATCH /config does",
                        () -> patch(three(), config("pause", true), null),
                        List.of("paused", "answer 200"), "configuration unchanged"),
                scenario("unknown keys are accepted with a warning",
                        () -> patch(three(), config("failsafe_mode", true), null),
                        List.of("config v2", "answer 200"), "failsafe_mode: accepted but not implemented"),
                scenario("removing the cluster answers, then drops its state",
                        () -> three().append(new RemoveClusterRequested(three().request("dave"))),
                        List.of("answer 200", "removed"), "cluster demo/0 removed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decides(Scenario scenario) {
        scenario.check();
    }

    static Lsn lsn(String text) {
        return Lsn.parse(text);
    }
}
