package io.steward.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.steward.testkit.Testbed;
import io.steward.testkit.faults.FaultCluster;
import io.steward.testkit.faults.FaultScenario;

/**
 * The other half of the fault matrix, once each, on one synchronous group on separate hosts: no
 * acknowledged write may be lost in any of them (see {@link FaultMatrixAsynchronousIT}).
 */
class FaultMatrixSynchronousIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static FaultCluster cluster;

    @BeforeAll
    static void start() {
        cluster = FaultCluster.start(testbed, true);
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"PRIMARY_POSTGRES_KILLED", "PRIMARY_AGENT_FROZEN", "PRIMARY_CUT_FROM_ETCD", "PRIMARY_ISOLATED",
            "REPLICA_ISOLATED", "DECIDER_CUT_FROM_ETCD", "ETCD_FROZEN"})
    void survives(FaultScenario scenario) {
        FaultMatrix.runAndCheck(cluster, scenario);
    }
}
