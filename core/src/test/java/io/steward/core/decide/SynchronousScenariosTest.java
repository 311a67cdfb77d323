package io.steward.core.decide;

import static io.steward.core.Clusters.LSN;
import static io.steward.core.Clusters.config;
import static io.steward.core.Clusters.healthy;
import static io.steward.core.Clusters.leaderLost;
import static io.steward.core.Clusters.positions;
import static io.steward.core.GroupLog.primary;
import static io.steward.core.GroupLog.quorum;
import static io.steward.core.GroupLog.replica;
import static io.steward.core.GroupLog.streaming;
import static io.steward.core.GroupLog.sync;
import static io.steward.core.decide.Scenario.nothing;
import static io.steward.core.decide.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.steward.core.GroupLog;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.model.Lsn;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** Synchronous and quorum replication (Patroni's /sync key and synchronous_standby_names, kept in step). */
class SynchronousScenariosTest {

    static final ConfigTree SYNC = config("synchronous_mode", true);
    static final ConfigTree QUORUM = config("synchronous_mode", "quorum");

    /** n1 leads in synchronous mode with n2 as its confirmed synchronous standby. */
    static GroupLog settledSync() {
        GroupLog log = healthy(SYNC, "n1", "n2", "n3");
        log.decideAndApply();
        log.at(1).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse(LSN))
                .heartbeat("n1", primary(LSN, 1, "FIRST 1 (\"n2\")", sync("n2", LSN), streaming("n3", LSN)));
        log.decideAndApply();
        return log;
    }

    /** n1 leads in quorum mode with n2 and n3 as voters, any 1 of them confirming. */
    static GroupLog settledQuorum() {
        GroupLog log = healthy(QUORUM, "n1", "n2", "n3");
        log.decideAndApply();
        log.decideAndApply();
        log.at(1).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse(LSN))
                .heartbeat("n1", primary(LSN, 1, "ANY 1 (\"n2\",\"n3\")", quorum("n2", LSN), quorum("n3", LSN)));
        log.decideAndApply();
        return log;
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                scenario("synchronous mode: the primary is told which standby to wait for",
                        () -> healthy(SYNC, "n1", "n2", "n3"),
                        List.of("ssn n1 'FIRST 1 (\"n2\")'"), "synchronous standbys should be n2"),
                scenario("the standby joins the promotable set once it confirmed and flushed past the change",
                        () -> {
                            GroupLog log = healthy(SYNC, "n1", "n2", "n3");
                            log.decideAndApply();
                            return log.at(1).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse(LSN)).heartbeat("n1",
                                    primary(LSN, 1, "FIRST 1 (\"n2\")", sync("n2", LSN), streaming("n3", LSN)));
                        },
                        List.of("sync [n2] q0"), "n2 confirmed synchronous replication and flushed past 0/5000000"),
                scenario("a standby that has not flushed past the change is not promotable yet",
                        () -> {
                            GroupLog log = healthy(SYNC, "n1", "n2", "n3");
                            log.decideAndApply();
                            return log.at(1).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse("0/5000100")).heartbeat("n1",
                                    primary("0/5000100", 1, "FIRST 1 (\"n2\")", sync("n2", LSN), streaming("n3", LSN)));
                        },
                        nothing(), "waiting for n2 to confirm synchronous replication and flush past 0/5000100"),
                scenario("the higher sync_priority is preferred",
                        () -> healthy(SYNC, GroupLog.empty().tags("n3", Tags.NONE.withSyncPriority(2)), "n1", "n2", "n3"),
                        List.of("ssn n1 'FIRST 1 (\"n3\")'"), "synchronous standbys should be n3"),
                scenario("a standby tagged nosync is never synchronous",
                        () -> healthy(SYNC, GroupLog.empty().tags("n2", Tags.NONE.withNosync(true)), "n1", "n2", "n3"),
                        List.of("ssn n1 'FIRST 1 (\"n3\")'"), "synchronous standbys should be n3"),
                scenario("synchronous_node_count 2 makes both standbys synchronous",
                        () -> healthy(config("synchronous_mode", true, "synchronous_node_count", 2), "n1", "n2", "n3"),
                        List.of("ssn n1 'FIRST 2 (\"n2\",\"n3\")'"), "synchronous standbys should be n2, n3"),
                scenario("a silent synchronous standby leaves the promotable set before the setting",
                        () -> settledSync().at(6).refreshAllBut("n2").declareFailures(),
                        List.of("sync [] q0"), "n2 no longer hold every acknowledged commit for sure"),
                scenario("then another standby is named in the setting",
                        () -> {
                            GroupLog log = settledSync().at(6).refreshAllBut("n2").declareFailures();
                            log.decideAndApply();
                            return log;
                        },
                        List.of("ssn n1 'FIRST 1 (\"n3\")'"), "synchronous standbys should be n3"),
                scenario("maximum_lag_on_syncnode swaps out a lagging synchronous standby",
                        () -> {
                            GroupLog log = healthy(config("synchronous_mode", true, "maximum_lag_on_syncnode", 1000),
                                    "n1", "n2", "n3");
                            log.decideAndApply();
                            log.at(1).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse(LSN)).heartbeat("n1",
                                    primary(LSN, 1, "FIRST 1 (\"n2\")", sync("n2", LSN), streaming("n3", LSN)));
                            log.decideAndApply();
                            return log.at(2).heartbeat("n1", primary("0/5100000", 1, "FIRST 1 (\"n2\")",
                                    sync("n2", LSN), streaming("n3", "0/5100000")));
                        },
                        List.of("sync [] q0"), "n2 no longer hold"),
                scenario("failover in synchronous mode promotes only a synchronous standby",
                        () -> leaderLost(settledSync(), 6, positions("n2", LSN, "n3", "0/5000100")),
                        List.of("failover n1->n2", "promote n2", "follow n3->n2"), "promoting n2"),
                scenario("synchronous mode without a synchronous standby: no failover",
                        () -> leaderLost(healthy(SYNC, "n1", "n2", "n3"), 6, positions("n2", LSN, "n3", LSN)),
                        List.of("failover blocked (no-candidate)"), "n2: not a synchronous standby; n3: not a synchronous standby"),
                scenario("strict mode with no standby blocks commits with a placeholder",
                        () -> healthy(config("synchronous_mode", true, "synchronous_mode_strict", true), "n1"),
                        List.of("ssn n1 'FIRST 1 (\"__steward_strict_sync_placeholder__\")'"),
                        "synchronous_mode_strict is on: commits wait"),
                scenario("non-strict mode with no standby lets commits go on",
                        () -> healthy(SYNC, "n1").heartbeat("n1", primary(LSN, 1, "FIRST 1 (\"n2\")")),
                        List.of("ssn n1 ''"), "no standby can be synchronous: commits do not wait"),
                scenario("turning synchronous mode off empties the promotable set first",
                        () -> {
                            GroupLog log = settledSync();
                            log.append(new io.steward.core.event.DeciderEvent.ConfigurationChanged(1, GroupLog.GROUP,
                                    2, config("synchronous_mode", false), config("synchronous_mode", false), "alice", "r"));
                            return log.at(2).refreshAllBut();
                        },
                        List.of("sync [] q0"), "synchronous mode is off"),
                scenario("quorum mode first grows the voters, trusting fewer confirmations",
                        () -> healthy(QUORUM, "n1", "n2", "n3"),
                        List.of("sync [n2,n3] q2"), "quorum voters grow to n2, n3"),
                scenario("then the primary waits for any one of the voters",
                        () -> {
                            GroupLog log = healthy(QUORUM, "n1", "n2", "n3");
                            log.decideAndApply();
                            return log;
                        },
                        List.of("ssn n1 'ANY 1 (\"n2\",\"n3\")'"), "commits should wait for any 1 of n2, n3"),
                scenario("and the voters' quorum settles once all flushed past the change",
                        () -> {
                            GroupLog log = healthy(QUORUM, "n1", "n2", "n3");
                            log.decideAndApply();
                            log.decideAndApply();
                            return log.at(1).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse(LSN)).heartbeat("n1",
                                    primary(LSN, 1, "ANY 1 (\"n2\",\"n3\")", quorum("n2", LSN), quorum("n3", LSN)));
                        },
                        List.of("sync [n2,n3] q1"), "any 1 of n2, n3 confirm each commit"),
                scenario("quorum failover needs quorum + 1 voters reporting",
                        () -> leaderLost(settledQuorum(), 6, positions("n2", LSN)),
                        List.of("failover blocked (no-candidate)"), "only 1 of 2 quorum voters report; 2 are needed"),
                scenario("quorum failover promotes the most advanced voter",
                        () -> leaderLost(settledQuorum(), 6, positions("n2", LSN, "n3", "0/5000100")),
                        List.of("failover n1->n3", "promote n3", "follow n2->n3"), "promoting n3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void decides(Scenario scenario) {
        scenario.check();
    }

    @Test
    void aNewPrimaryStartsWithNoSynchronousStandbyUntilOneIsConfirmedAgain() {
        GroupLog log = leaderLost(settledSync(), 6, positions("n2", LSN, "n3", LSN));
        log.decideAndApply();
        log.at(6.2).ack("n2").lease("n2", 40).stateChanged("n2", StateChange.PROMOTED, Role.PRIMARY, PgState.RUNNING, 2,
                Lsn.parse(LSN), "promoted");
        log.decideAndApply();
        assertThat(log.group().leader()).isEqualTo("n2");
        assertThat(log.group().sync().standbys()).isEmpty();
        assertThat(log.group().sync().leader()).isEqualTo("n2");

        log.at(6.3).ack("n3").heartbeat("n2", primary(LSN, 2, streaming("n3", LSN)))
                .heartbeat("n3", replica(LSN, 2, "n2"));
        assertThat(log.decide().commands().stream().map(io.steward.core.Describe::of))
                .containsExactly("ssn n2 'FIRST 1 (\"n3\")'");
    }
}
