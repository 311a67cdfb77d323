package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.event.LogRecord;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.cluster.Writer;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.Signal;

/**
 * Patroni's stop_primary / failover scenarios, the hard way: the primary's host dies (agent and
 * PostgreSQL killed with SIGKILL) while an application writes every 10 ms. In asynchronous mode
 * the loss is bounded and reported; in synchronous mode no acknowledged write is lost. The old
 * primary then rejoins through pg_rewind when its agent comes back.
 */
class HostLossIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private TestCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void asynchronousModeFailsOverAndTheOldPrimaryRejoins() {
        hostLoss("host loss, async", false);
    }

    @Test
    void synchronousModeLosesNoAcknowledgedWrite() {
        hostLoss("host loss, sync", true);
    }

    /**
     * The synchronous standby's walsender stalls, so commits wait while the asynchronous replica
     * goes on receiving their WAL; then the primary's host dies. The synchronous standby is
     * promoted (it has every acknowledged commit), and the asynchronous replica, now ahead of the
     * new timeline's fork point, is rewound and follows instead of staying stuck.
     */
    @Test
    void anAsynchronousReplicaAheadOfThePromotedSynchronousStandbyIsRewound() {
        String scenario = "host loss, sync, async replica ahead";
        cluster = new TestCluster(testbed);
        cluster.decider("d1");
        for (String name : List.of("pg1", "pg2", "pg3")) {
            cluster.agent(name, agent -> agent.dcs("synchronous_mode", true));
        }
        AgentNode primary = cluster.awaitHealthy(2);
        String standby = Await.value("a synchronous standby", TIMEOUT, () -> primary.sql().queryColumn(
                "SELECT application_name FROM pg_stat_replication WHERE sync_state = 'sync'").stream().findFirst());
        AgentNode asynchronous = cluster.agents().stream()
                .filter(a -> a != primary && !a.name().equals(standby)).findFirst().orElseThrow();
        try (Writer writer = Writer.start(cluster.primaryUrl(), "postgres", AgentNode.SUPERUSER_PASSWORD,
                Duration.ofMillis(10))) {
            Await.until("writes acknowledged", TIMEOUT, () -> writer.acks().size() > 200);
            long walsender = Long.parseLong(primary.sql().queryValue(
                    "SELECT pid FROM pg_stat_replication WHERE application_name = '" + standby + "'"));
            ChildProcess.sendSignal(walsender, Signal.STOP);
            Await.sleep(Duration.ofSeconds(1));
            assertThat(primary.sql().queryValue("SELECT (SELECT write_lsn FROM pg_stat_replication WHERE "
                    + "application_name = '" + asynchronous.name() + "') > (SELECT write_lsn FROM pg_stat_replication "
                    + "WHERE application_name = '" + standby + "')"))
                    .as("the asynchronous replica received more than the synchronous standby").isEqualTo("t");

            long killed = System.nanoTime();
            cluster.killHost(primary);
            ProcessHandle.of(walsender).ifPresent(ProcessHandle::destroyForcibly);
            Await.until(standby + " writable", TIMEOUT, () -> cluster.writable().equals(List.of(standby)));
            AgentNode promoted = cluster.member(standby);
            promoted.sql().execute("INSERT INTO steward_writes VALUES (-1)");
            Await.until(asynchronous.name() + " replays what " + standby + " wrote after the promotion", TIMEOUT,
                    () -> {
                        try {
                            return "1".equals(asynchronous.sql().queryValue(
                                    "SELECT count(*) FROM steward_writes WHERE id = -1"));
                        } catch (RuntimeException e) {
                            return false;
                        }
                    });
            Report.timing(scenario, "kill → the replica that was ahead replays the new primary's writes",
                    Duration.ofNanos(System.nanoTime() - killed));
            writer.close();

            Set<Long> present = new HashSet<>();
            promoted.sql().queryColumn("SELECT id FROM steward_writes").forEach(id -> present.add(Long.parseLong(id)));
            assertThat(writer.lost(present)).as("acknowledged writes lost in synchronous mode").isEmpty();
        }
    }

    private void hostLoss(String scenario, boolean synchronous) {
        cluster = new TestCluster(testbed);
        cluster.decider("d1");
        for (String name : List.of("pg1", "pg2", "pg3")) {
            cluster.agent(name, agent -> agent.dcs("synchronous_mode", synchronous));
        }
        AgentNode primary = cluster.awaitHealthy(2);
        if (synchronous) {
            Await.until("a synchronous standby", TIMEOUT, () -> primary.sql().queryColumn(
                    "SELECT sync_state FROM pg_stat_replication").contains("sync"));
        }
        try (Writer writer = Writer.start(cluster.primaryUrl(), "postgres", AgentNode.SUPERUSER_PASSWORD,
                Duration.ofMillis(10))) {
            Await.until("writes acknowledged", TIMEOUT, () -> writer.acks().size() > 200);
            int mark = cluster.log().mark();

            long killed = System.nanoTime();
            cluster.killHost(primary);

            Writer.Ack first;
            try {
                first = Await.value("a write acknowledged by the new primary", TIMEOUT,
                        () -> writer.firstAckAfter(killed, primary.pgPort()));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the writer's last error: " + writer.lastError()
                        + "; acknowledged: " + writer.acks().size() + ", last on port "
                        + writer.acks().get(writer.acks().size() - 1).port(), e);
            }
            Report.timing(scenario, "kill → first acknowledged write on the new primary",
                    Duration.ofNanos(first.atNanos() - killed));
            AgentNode promoted = cluster.awaitHealthy(1);
            assertThat(promoted).isNotEqualTo(primary);
            if (synchronous) {
                LogRecord promotion = cluster.log().awaitRecord("the promotion", MemberStateChanged.class,
                        c -> c.change() == StateChange.PROMOTED, mark, TIMEOUT);
                LogRecord syncAgain = cluster.log().awaitRecord("a synchronous standby again",
                        SynchronousStandbysChanged.class, c -> !c.standbys().isEmpty(), mark, TIMEOUT);
                Report.timing(scenario, "promotion → synchronous standby again",
                        Duration.between(promotion.timestamp(), syncAgain.timestamp()));
            }
            Await.sleep(Duration.ofMillis(500));
            writer.close();

            Set<Long> present = new HashSet<>();
            promoted.sql().queryColumn("SELECT id FROM steward_writes").forEach(id -> present.add(Long.parseLong(id)));
            Set<Long> lost = writer.lost(present);
            Report.count(scenario, "acknowledged writes lost", lost.size());
            if (synchronous) {
                assertThat(lost).as("acknowledged writes lost in synchronous mode").isEmpty();
            } else {
                assertThat(lost.size()).as("bounded by maximum_lag_on_failover (1 MiB)").isLessThan(1000);
            }

            long restarted = System.nanoTime();
            primary.start();
            Await.until(primary.name() + " streams from " + promoted.name(), TIMEOUT,
                    () -> TestCluster.streamingFrom(promoted).contains(primary.name()));
            Report.timing(scenario, "old primary's agent restarted → streaming again",
                    Duration.ofNanos(System.nanoTime() - restarted));
            assertThat(cluster.writable()).containsExactly(promoted.name());
        }
    }
}
