package io.steward.audit.alert;

import static io.steward.audit.alert.AlertChange.Status.FIRING;
import static io.steward.audit.alert.AlertChange.Status.RESOLVED;
import static io.steward.audit.alert.AlertLog.GROUP;
import static io.steward.audit.alert.AlertLog.LSN;
import static io.steward.audit.alert.AlertLog.T0;
import static io.steward.audit.alert.AlertLog.primary;
import static io.steward.audit.alert.AlertLog.replica;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.CitusEvent.CitusTopologyFailed;
import io.steward.core.event.DeciderEvent.ClusterRemoved;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;

class AlertRulesTest {

    static final String FAILOVER_REASON = "promoted n2: primary n1 silent for 4.0 s, n2 has the highest LSN 0/5000000";

    /**
     * n1 (primary) is killed at 0 s: its heartbeats stop while n2 and n3 keep reporting and the
     * decider ticks every 100 ms; n1 is declared failed at 4.1 s, its lease expires at 4.5 s, the
     * failover to n2 is decided at 5 s, n2 reports its promotion at 6 s and the failover completes at
     * 6.5 s; then the group runs healthy for a while.
     */
    static AlertLog killPrimary() {
        return AlertLog.killedPrimary(FAILOVER_REASON);
    }

    @Test
    void bootstrappingAHealthyGroupRaisesNothing() {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY, "n1", "n2", "n3");

        assertThat(log.changes()).isEmpty();
    }

    @Test
    void killingThePrimaryFiresPrimaryDownOnceAndResolvesItOnceTheNewLeaderRuns() {
        AlertLog log = killPrimary();

        List<AlertChange> primaryDown = log.changes(AlertRules.PRIMARY_DOWN);
        assertThat(primaryDown).extracting(AlertChange::status).containsExactly(FIRING, RESOLVED);
        Alert fired = primaryDown.get(0).alert();
        assertThat(fired.labels()).isEqualTo(Map.of("alertname", "StewardPrimaryDown", "severity", "critical",
                "scope", "demo", "group", "0"));
        assertThat(fired.annotations().get("summary")).isEqualTo("No healthy primary in demo/0");
        assertThat(fired.annotations().get("description")).isEqualTo("Leader n1 declared failed: n1 silent for 4.0 s");
        assertThat(fired.startsAt()).isEqualTo(T0.plusMillis(4100));
        assertThat(fired.endsAt()).isNull();
        assertThat(fired.generatorURL()).isEqualTo("http://audit:8080/#/group/demo/0");
        Alert resolved = primaryDown.get(1).alert();
        assertThat(resolved.fingerprint()).isEqualTo(fired.fingerprint());
        assertThat(resolved.startsAt()).isEqualTo(fired.startsAt());
        assertThat(resolved.endsAt()).isEqualTo(T0.plusSeconds(6));
    }

    @Test
    void killingThePrimaryFiresOneFailoverAndOneCriticalMemberDown() {
        AlertLog log = killPrimary();

        List<AlertChange> failover = log.changes(AlertRules.FAILOVER);
        assertThat(failover).extracting(AlertChange::status).containsExactly(FIRING, RESOLVED);
        assertThat(failover.get(0).alert().startsAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(failover.get(0).alert().annotations()).containsEntry("summary",
                "Automatic failover in demo/0: n1 -> n2").containsEntry("description", FAILOVER_REASON);
        assertThat(failover.get(1).alert().endsAt()).isEqualTo(T0.plusSeconds(6));
        List<AlertChange> memberDown = log.changes(AlertRules.MEMBER_DOWN);
        assertThat(memberDown).extracting(AlertChange::status).containsExactly(FIRING);
        assertThat(memberDown.get(0).alert().labels()).containsEntry("member", "n1").containsEntry("severity",
                "critical");
        assertThat(log.changes()).extracting(change -> change.alert().name()).containsOnly(AlertRules.PRIMARY_DOWN,
                AlertRules.FAILOVER, AlertRules.MEMBER_DOWN);
        assertThat(log.active()).extracting(Alert::name).containsExactly(AlertRules.MEMBER_DOWN);
    }

    @Test
    void aFailedMemberIsResolvedWhenItReportsRunningAgain() {
        AlertLog log = killPrimary();
        log.at(20).register("n1");
        assertThat(log.changes(AlertRules.MEMBER_DOWN)).hasSize(1);

        log.at(21).heartbeat("n1", replica("0/5000200", 2, "n2"));

        assertThat(log.changes(AlertRules.MEMBER_DOWN)).extracting(AlertChange::status)
                .containsExactly(FIRING, RESOLVED);
        assertThat(log.active()).isEmpty();
    }

    @Test
    void theSameRecordsGiveTheSameChanges() {
        AlertLog log = killPrimary();
        List<AlertChange> first = AlertLog.replay(new AlertRules(AlertRules.Policy.defaults("http://audit:8080")),
                log.records());
        List<AlertChange> second = AlertLog.replay(new AlertRules(AlertRules.Policy.defaults("http://audit:8080")),
                log.records());

        assertThat(first).hasSize(5).isEqualTo(second).isEqualTo(log.changes());
    }

    @Test
    void aFiringAlertIsNotFiredAgainUntilResolved() {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY, "c1", "c2");
        for (int attempt = 1; attempt <= 3; attempt++) {
            log.at(attempt).append(new CitusTopologyFailed(GROUP, "c1",
                    List.of("SELECT citus_update_node(1, 'w2', 5432)"),
                    "could not connect to w2 (attempt " + attempt + ")", "citus-sync-a"));
        }
        log.at(4).append(new CitusTopologyApplied(GROUP, "c1", List.of(), List.of("0:40"), 0, 12, "citus-sync-a"))
                .append(new CitusTopologyApplied(GROUP, "c1", List.of(), List.of("0:41"), 0, 10, "citus-sync-a"));
        log.at(5).append(new CitusTopologyFailed(GROUP, "c1", List.of(), "coordinator is read-only", "citus-sync-a"));

        List<AlertChange> citus = log.changes(AlertRules.CITUS_TOPOLOGY_FAILED);
        assertThat(citus).extracting(AlertChange::status).containsExactly(FIRING, RESOLVED, FIRING);
        assertThat(citus.get(0).alert().annotations())
                .containsEntry("description", "could not connect to w2 (attempt 1)");
        assertThat(citus.get(1).alert().endsAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(citus.get(2).alert().annotations()).containsEntry("description", "coordinator is read-only");
    }

    @Test
    void replicationLagFiresAboveTheThresholdAndResolvesBelowIt() {
        AlertLog log = new AlertLog(new AlertRules.Policy("http://audit:8080", 1 << 20, Duration.ofHours(1),
                Duration.ofMinutes(5))).healthy(ConfigTree.EMPTY, "n1", "n2");

        log.at(1).heartbeat("n1", primary("0/5100000", 1)); // exactly 1 MiB ahead of n2: not above
        assertThat(log.changes()).isEmpty();
        log.at(2).heartbeat("n1", primary("0/5100001", 1)).at(3).heartbeat("n1", primary("0/5200000", 1)).tick();
        log.at(4).heartbeat("n2", replica("0/5180000", 1, "n1"));

        List<AlertChange> lag = log.changes(AlertRules.REPLICATION_LAG);
        assertThat(lag).extracting(AlertChange::status).containsExactly(FIRING, RESOLVED);
        assertThat(lag.get(0).alert().labels()).containsEntry("member", "n2").containsEntry("severity", "warning");
        assertThat(lag.get(0).alert().startsAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(lag.get(0).alert().annotations().get("description")).startsWith("n2 has WAL up to 0/5000000, "
                + "leader n1 writes at 0/5100001: 1048577 bytes behind");
        assertThat(lag.get(1).alert().endsAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(AlertRules.Policy.defaults("http://audit:8080").maxLagBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void maintenanceModeHeldLongerThanAllowedFiresByLogTimeOnly() {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY, "n1", "n2");
        log.at(10).append(new MaintenanceModeChanged(1, GROUP, true, "alice", "req-1"));
        for (int seconds = 20; seconds <= 3610; seconds += 10) {
            log.at(seconds).tick();
        }
        assertThat(log.changes()).isEmpty(); // paused for exactly the hour: not longer
        log.at(3611).tick().at(3700).tick();
        log.at(4000).append(new MaintenanceModeChanged(1, GROUP, false, "alice", "req-2"));

        List<AlertChange> paused = log.changes(AlertRules.PAUSED_TOO_LONG);
        assertThat(paused).extracting(AlertChange::status).containsExactly(FIRING, RESOLVED);
        assertThat(paused.get(0).alert().startsAt()).isEqualTo(T0.plusSeconds(3611));
        assertThat(paused.get(0).alert().annotations().get("description"))
                .contains("Paused since " + T0.plusSeconds(10));
        assertThat(paused.get(1).alert().endsAt()).isEqualTo(T0.plusSeconds(4000));
    }

    @Test
    void synchronousModeWithoutAStandbyFiresUntilOneIsNamedAgain() {
        ConfigTree synchronous = ConfigTree.EMPTY.with("synchronous_mode", "on");
        AlertLog log = AlertLog.withDefaults().healthy(synchronous, "n1", "n2", "n3");
        log.at(1).append(new SynchronousStandbysChanged(1, GROUP, "n1", List.of("n2"), 0, "n2 is streaming"));
        log.at(2).append(new SynchronousStandbysChanged(1, GROUP, "n1", List.of(), 0, "n2 stopped streaming"));
        log.at(3).append(new SynchronousStandbysChanged(1, GROUP, "n1", List.of(), 0, "no replica streams"));
        log.at(4).append(new SynchronousStandbysChanged(1, GROUP, "n1", List.of("n3"), 0, "n3 is streaming"));

        List<AlertChange> lost = log.changes(AlertRules.SYNC_STANDBY_LOST);
        assertThat(lost).extracting(AlertChange::status).containsExactly(FIRING, RESOLVED);
        assertThat(lost.get(0).alert().annotations()).containsEntry("description", "n2 stopped streaming");
        assertThat(lost.get(1).alert().endsAt()).isEqualTo(T0.plusSeconds(4));
    }

    @Test
    void asynchronousGroupsLoseNoSynchronousStandby() {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY, "n1", "n2");
        log.at(1).append(new SynchronousStandbysChanged(1, GROUP, "n1", List.of(), 0, "asynchronous"));

        assertThat(log.changes()).isEmpty();
    }

    @Test
    void aSwitchoverIsInformationAndNeverAPrimaryDown() {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY, "n1", "n2");
        log.at(1).append(new SwitchoverStarted(1, GROUP, "n1", "n2", "req-1", "switchover to n2", List.of()))
                .demote("n1");
        log.at(2).stateChanged("n1", StateChange.DEMOTED, Role.REPLICA, PgState.STOPPED, 1, "0/5000100")
                .lease(null, 20).promote("n2").tick();
        log.at(3).stateChanged("n2", StateChange.PROMOTED, Role.PRIMARY, PgState.RUNNING, 2, "0/5000100");
        log.append(new SwitchoverCompleted(1, GROUP, "n1", "n2", "req-1", "n2 is the primary"));

        assertThat(log.changes()).extracting(AlertChange::status).containsExactly(FIRING, RESOLVED);
        assertThat(log.changes(AlertRules.SWITCHOVER)).hasSize(2);
        Alert switchover = log.changes().get(0).alert();
        assertThat(switchover.labels()).containsEntry("severity", "info");
        assertThat(switchover.annotations()).containsEntry("summary", "Switchover in demo/0: n1 -> n2");
        assertThat(log.changes().get(1).alert().endsAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aDeposedDecidersRecordsRaiseNothingAndATakeoverIsAOneShot() {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY.with("synchronous_mode", "on"), "n1", "n2");
        log.at(1).elected(2, "decider-b").elected(2, "decider-b");
        log.at(2).append(new MemberDeclaredFailed(1, GROUP, "n1", "stale"))
                .append(new SynchronousStandbysChanged(1, GROUP, "n1", List.of(), 0, "stale"))
                .append(new FailoverDecided(1, GROUP, "n1", "n2", FailoverKind.MANUAL, "req-1", "stale", List.of()));

        assertThat(log.changes()).extracting(change -> change.alert().name())
                .containsExactly(AlertRules.DECIDER_CHANGED);
        AlertChange takeover = log.changes().get(0);
        assertThat(takeover.status()).isEqualTo(FIRING);
        assertThat(takeover.alert().startsAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(takeover.alert().endsAt()).isEqualTo(T0.plusSeconds(1).plus(Duration.ofMinutes(5)));
        assertThat(takeover.alert().annotations()).containsEntry("description",
                "decider-b (epoch 2) replaced decider-a (epoch 1)");
        assertThat(log.active()).isEmpty();
    }

    @Test
    void aRemovedGroupLeavesNothingFiring() {
        AlertLog log = killPrimary();
        log.at(20).append(new ClusterRemoved(1, GROUP, "alice", "req-9"));

        assertThat(log.changes(AlertRules.MEMBER_DOWN)).extracting(AlertChange::status)
                .containsExactly(FIRING, RESOLVED);
        assertThat(log.active()).isEmpty();
    }

    @Test
    void theFingerprintIsPrometheusLabelSetFingerprint() {
        Map<String, String> labels = new TreeMap<>(Map.of("scope", "demo", "alertname", "StewardPrimaryDown",
                "group", "0", "severity", "critical"));
        Alert alert = new Alert(new TreeMap<>(labels), new TreeMap<>(), T0, null, "http://audit:8080");
        labels.put("member", "n1");
        Alert other = new Alert(new TreeMap<>(labels), new TreeMap<>(), T0, null, "http://audit:8080");

        // FNV-1a 64 over each name, 0xff, value, 0xff, sorted by name (computed apart from this code)
        assertThat(alert.fingerprint()).isEqualTo("3e8c3901a23731a4");
        assertThat(other.fingerprint()).isNotEqualTo(alert.fingerprint());
        assertThat(Alert.fingerprint(Map.of())).isEqualTo("cbf29ce484222325");
    }
}
