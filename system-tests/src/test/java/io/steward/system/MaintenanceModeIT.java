package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;

/**
 * Patroni's {@code pause} scenarios: in maintenance mode nothing is done automatically, not even
 * when the primary's host dies; on resume the group fails over at once.
 */
class MaintenanceModeIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    /** The agents' default ttl; three of them is far longer than a failover takes. */
    private static final Duration TTL = Duration.ofSeconds(4);

    private static TestCluster cluster;
    private static Stewardctl stewardctl;

    @BeforeAll
    static void start() {
        cluster = TestCluster.of(testbed, 1, "pg1", "pg2", "pg3");
        stewardctl = new Stewardctl(cluster.deciders());
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void noFailoverWhilePausedAndAFailoverAtOnceOnResume() {
        AgentNode primary = cluster.awaitHealthy(2);

        Stewardctl.Result paused = stewardctl.run("pause", "demo");
        assertThat(paused.exitCode()).as(paused.out() + paused.err()).isZero();
        cluster.log().await("maintenance mode on", MaintenanceModeChanged.class, MaintenanceModeChanged::paused,
                TIMEOUT);
        assertThat(stewardctl.run("list", "demo").out()).contains("Maintenance mode: on");

        int mark = cluster.log().mark();
        cluster.killHost(primary);
        long until = System.nanoTime() + TTL.multipliedBy(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(cluster.writable()).as("no member promoted while paused").isEmpty();
            Await.sleep(Duration.ofMillis(250));
        }
        assertThat(failoversSince(mark)).as("failover decisions while paused").isZero();

        Stewardctl.Result resumed = stewardctl.run("resume", "demo");
        long resumedAt = System.nanoTime();
        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        AgentNode promoted = cluster.awaitHealthy(1);
        Report.timing("pause / resume", "resume → new primary writable", Duration.ofNanos(System.nanoTime() - resumedAt));
        assertThat(promoted).isNotEqualTo(primary);
        assertThat(failoversSince(mark)).isEqualTo(1);
    }

    private static long failoversSince(int mark) {
        return cluster.log().records().subList(mark, cluster.log().records().size()).stream()
                .filter(r -> r.event() instanceof FailoverDecided).count();
    }
}
