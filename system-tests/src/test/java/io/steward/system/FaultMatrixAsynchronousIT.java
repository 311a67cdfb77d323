package io.steward.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.steward.testkit.Testbed;
import io.steward.testkit.faults.FaultCluster;
import io.steward.testkit.faults.FaultRun;
import io.steward.testkit.faults.FaultScenario;

/**
 * Half of the fault matrix, once each, on one asynchronous group on separate hosts (the other
 * half runs in synchronous mode in {@link FaultMatrixSynchronousIT}; every scenario runs 20 times
 * in each mode in {@code scripts/bench-faults.sh}).
 */
class FaultMatrixAsynchronousIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static FaultCluster cluster;

    @BeforeAll
    static void start() {
        cluster = FaultCluster.start(testbed, false);
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"PRIMARY_HOST_LOST", "PRIMARY_AGENT_KILLED", "PRIMARY_CUT_FROM_KAFKA", "LEADER_KEY_DELETED",
            "DECIDER_CUT_FROM_KAFKA", "DECIDER_KILLED_MID_FAILOVER", "BROKER_FROZEN"})
    void survives(FaultScenario scenario) {
        FaultRun.Outcome outcome = FaultMatrix.runAndCheck(cluster, scenario);
        if (scenario == FaultScenario.LEADER_KEY_DELETED) {
            // the hole this closes: the key's deletion once gave two writable primaries and a failover
            assertThat(outcome.failovers()).as("failovers after the leader key was deleted").isZero();
            assertThat(outcome.primaryAfter()).isEqualTo(outcome.primaryBefore());
        }
    }
}
