package io.steward.decider;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.DeciderEvent.GroupStuck;
import io.steward.core.model.GroupId;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.decider.DeciderNode;

/**
 * Deciding for one group fails (fault injection, as a bug in a rule would): that group is
 * recorded stuck, once, and every other group is decided as before.
 */
class DecisionContainmentIT {

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
    void aGroupTheDeciderFailsOnIsStuckAndTheOthersAreDecided() {
        cluster = new TestCluster(testbed);
        DeciderNode decider = cluster.decider("d1", "-Dsteward.fault.decider-throws=group:other/0");
        cluster.agent("q1", agent -> agent.scope("other"));
        cluster.agent("pg1");
        cluster.agent("pg2");

        cluster.awaitHealthy(List.of("pg1", "pg2"), 1);
        GroupStuck stuck = cluster.log().awaitAfter(0, "other/0 recorded stuck", GroupStuck.class,
                event -> event.group().equals(new GroupId("other", 0)), TIMEOUT);
        assertThat(stuck.reason()).contains("fault injection: deciding for other/0 fails");

        var paused = decider.send("POST", "/v1/scopes/demo/pause", "{}");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        var resumed = decider.send("POST", "/v1/scopes/demo/resume", "{}");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);

        Await.sleep(Duration.ofSeconds(2)); // the stuck group keeps receiving heartbeats meanwhile
        assertThat(cluster.log().events(GroupStuck.class)).as("recorded once, not on every heartbeat").hasSize(1);
        assertThat(cluster.writable()).containsExactly("pg1").doesNotContain("q1");
        assertThat(decider.isRunning()).isTrue();
    }
}
