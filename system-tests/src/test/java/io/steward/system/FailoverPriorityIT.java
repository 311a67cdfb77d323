package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;

/**
 * Patroni's {@code priority_failover} scenarios: among replicas at the same WAL position the
 * highest {@code failover_priority} is promoted, and a member tagged {@code nofailover} never is,
 * even when it is the last one left.
 */
class FailoverPriorityIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(testbed);
        cluster.decider("d1");
        cluster.agent("pg1");
        cluster.awaitHealthy(0);
        cluster.agent("pg2", agent -> agent.set("tags.nofailover", true));
        cluster.agent("pg3", agent -> agent.set("tags.failover_priority", 1));
        cluster.agent("pg4", agent -> agent.set("tags.failover_priority", 5));
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theHighestPriorityWinsAndNofailoverNeverLeads() {
        AgentNode pg1 = awaitCaughtUp(3);
        assertThat(pg1.name()).isEqualTo("pg1");

        assertThat(failOver(pg1, "priority 5 over priority 1")).isEqualTo("pg4");
        AgentNode pg4 = awaitCaughtUp(2);

        assertThat(failOver(pg4, "priority 1 over nofailover")).isEqualTo("pg3");
        AgentNode pg3 = awaitCaughtUp(1);

        int mark = cluster.log().mark();
        cluster.killHost(pg3);
        FailoverBlocked blocked = cluster.log().awaitAfter(mark, "the failover blocked", FailoverBlocked.class,
                b -> b.leader().equals("pg3"), TIMEOUT);
        assertThat(blocked.reason()).contains("nofailover");
        Await.sleep(Duration.ofSeconds(5));
        assertThat(cluster.writable()).as("pg2 is tagged nofailover").isEmpty();
    }

    /** Kills the primary's host; returns who was promoted, and prints how long it took. */
    private static String failOver(AgentNode primary, String what) {
        int mark = cluster.log().mark();
        long killed = System.nanoTime();
        cluster.killHost(primary);
        String promoted = Await.value("a new primary", TIMEOUT, () -> cluster.writable().stream().findFirst());
        Report.timing("priority failover, " + what, "kill → new primary writable",
                Duration.ofNanos(System.nanoTime() - killed));
        FailoverDecided decision = cluster.log().awaitAfter(mark, "the decision", FailoverDecided.class, d -> true,
                TIMEOUT);
        assertThat(decision.newLeader()).isEqualTo(promoted);
        cluster.log().awaitAfter(mark, "the failover completed", FailoverCompleted.class,
                c -> c.newLeader().equals(promoted), TIMEOUT);
        return promoted;
    }

    /**
     * The primary, once {@code replicas} members stream from it and have replayed everything it
     * wrote, so that only the priority tells them apart.
     */
    private static AgentNode awaitCaughtUp(int replicas) {
        AgentNode primary = cluster.awaitHealthy(replicas);
        Await.until("every replica replayed all of " + primary.name() + "'s WAL", TIMEOUT, () -> primary.sql()
                .queryColumn("SELECT replay_lsn = pg_current_wal_lsn() FROM pg_stat_replication "
                        + "WHERE application_name <> 'pg_basebackup'")
                .equals(java.util.Collections.nCopies(replicas, "t")));
        return primary;
    }
}
