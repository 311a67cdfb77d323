package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.decider.DeciderNode;

/** Patroni's basic_replication.feature: a primary, two replicas that receive what it writes and refuse writes. */
class BasicReplicationIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static TestCluster cluster;

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPrimaryAndTwoReplicasReplicate() {
        long started = System.nanoTime();
        cluster = new TestCluster(testbed);
        DeciderNode decider = cluster.decider("d1");
        cluster.decider("d2");
        cluster.agent("pg1");
        cluster.agent("pg2");
        cluster.agent("pg3");

        AgentNode primary = cluster.awaitHealthy(2);
        Report.timing("basic replication", "empty data directories → healthy group (with process starts)",
                java.time.Duration.ofNanos(System.nanoTime() - started));

        primary.sql().execute("CREATE TABLE foo (bar varchar(10))", "INSERT INTO foo VALUES ('bar1')");
        for (AgentNode replica : cluster.agents()) {
            if (replica == primary) {
                continue;
            }
            Await.until(replica.name() + " has the row", TIMEOUT,
                    () -> "bar1".equals(replica.sql().queryValue("SELECT bar FROM foo")));
            assertThatThrownBy(() -> replica.sql().execute("INSERT INTO foo VALUES ('bar2')"))
                    .hasMessageContaining("read-only");
        }
        Await.until("the decider shows one leader and two streaming replicas with no lag", TIMEOUT, () -> {
            JsonNode members = TestCluster.view(decider).get("members");
            List<String> roles = members.findValuesAsText("role").stream().sorted().toList();
            return roles.equals(List.of("leader", "replica", "replica"))
                    && members.findValuesAsText("state").stream().sorted().toList()
                    .equals(List.of("running", "streaming", "streaming"))
                    && members.findValues("lag").stream().allMatch(lag -> lag.asLong(-1) == 0);
        });
        assertThat(cluster.writable()).containsExactly(primary.name());
    }
}
