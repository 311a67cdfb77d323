package io.steward.system;

import static io.steward.testkit.cluster.TestCluster.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.testkit.Await;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.decider.DeciderNode;

/**
 * etcd lost and rebuilt from scratch (a lost quorum restored as a new cluster): its revisions start
 * again near 1, and with them the election key's. The next decider's epoch is still above every
 * epoch in the log, its decisions are not ignored as stale, and the group gets a primary again with
 * its replicas streaming (the old primary's lease went with the old etcd, so it fenced itself).
 */
class EtcdRebuiltIT {

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
    void afterEtcdIsRebuiltFromScratchTheDecisionsGoOn() throws Exception {
        cluster = new TestCluster(testbed);
        cluster.decider("d1");
        for (String name : List.of("pg1", "pg2", "pg3")) {
            cluster.agent(name);
        }
        cluster.awaitHealthy(2);
        // a long-lived etcd: its revisions, and so the next election's, well above a new one's
        try (Client etcd = Client.builder().endpoints(cluster.etcd().endpoint()).build()) {
            for (int i = 0; i < 200; i++) {
                etcd.getKVClient().put(ByteSequence.from("/other/" + i, StandardCharsets.UTF_8),
                        ByteSequence.from("x", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            }
        }
        DeciderNode decider = cluster.deciders().get(0);
        decider.stop();
        decider.start();
        Await.until("the decider elected again", TIMEOUT, decider::isLeader);
        cluster.awaitHealthy(2);
        long before = highestEpoch();
        assertThat(before).as("the epoch of a long-lived etcd").isGreaterThan(200);
        int mark = cluster.log().mark();

        cluster.etcd().rebuild();

        DeciderElected elected = cluster.log().awaitAfter(mark, "a decider elected in the new etcd",
                DeciderElected.class, event -> true, TIMEOUT);
        assertThat(elected.epoch()).as("the epoch after the rebuild").isGreaterThan(before);
        AgentNode after = cluster.awaitHealthy(2);
        var paused = cluster.leader().send("POST", "/v1/scopes/demo/pause", "{}");
        assertThat(paused.statusCode()).as("a request answered by the new term: " + paused.body()).isEqualTo(200);
        Report.count("etcd rebuilt", "epoch before → after the rebuild: " + before + " →", elected.epoch());
        assertThat(after).isNotNull();
    }

    private long highestEpoch() {
        return cluster.log().events(DeciderElected.class).stream().mapToLong(DeciderElected::epoch).max().orElseThrow();
    }
}
