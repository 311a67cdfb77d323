package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.DeciderEvent.DeciderActive;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.decider.DeciderNode;

/**
 * The leading decider dies (SIGKILL) the moment it has decided a failover: the standby decider
 * takes over, finishes the failover from the log, and at no moment do two members accept writes.
 */
class DeciderLossDuringFailoverIT {

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
    void theStandbyDeciderFinishesAFailoverItsLeaderDecided() throws InterruptedException {
        cluster = TestCluster.of(testbed, 2, "pg1", "pg2", "pg3");
        AgentNode primary = cluster.awaitHealthy(2);
        DeciderNode leading = cluster.leader();
        List<List<String>> twoWriters = new ArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                List<String> writable = cluster.writable();
                if (writable.size() > 1) {
                    twoWriters.add(writable);
                }
            }
        }, "two-writers-watch");
        watcher.start();
        try {
            int mark = cluster.log().mark();
            long killed = System.nanoTime();
            cluster.killHost(primary);
            FailoverDecided decided = cluster.log().awaitAfter(mark, "the failover decision", FailoverDecided.class,
                    d -> true, TIMEOUT);
            leading.kill9();
            long deciderKilled = System.nanoTime();

            DeciderActive takeover = cluster.log().awaitAfter(mark, "the standby decider active",
                    DeciderActive.class, a -> !a.instance().equals(leading.name()), TIMEOUT);
            FailoverCompleted completed = cluster.log().awaitAfter(mark, "the failover completed",
                    FailoverCompleted.class, c -> true, TIMEOUT);
            AgentNode promoted = cluster.awaitHealthy(1);
            long done = System.nanoTime();
            Report.timing("decider lost during a failover", "host killed → new primary with a streaming replica",
                    Duration.ofNanos(done - killed));
            Report.timing("decider lost during a failover", "decider killed → standby decider active and done",
                    Duration.ofNanos(done - deciderKilled));

            assertThat(takeover.instance()).isNotEqualTo(leading.name());
            assertThat(completed.newLeader()).isEqualTo(decided.newLeader()).isEqualTo(promoted.name());
            assertThat(promoted).isNotEqualTo(primary);
        } finally {
            watching.set(false);
            watcher.join(10_000);
        }
        assertThat(twoWriters).as("moments with two writable members").isEmpty();
    }
}
