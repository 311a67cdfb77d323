package io.steward.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.testkit.faults.FaultCluster;
import io.steward.testkit.faults.FaultRun;
import io.steward.testkit.faults.FaultScenario;

/**
 * What every run of the fault matrix asserts, whatever the fault (docs/reliability.md): no interval
 * in which two members accepted writes, as the independent prober saw it; no acknowledged write
 * lost in synchronous mode; the group back to one primary with streaming replicas. Figures are
 * printed, not asserted: the benchmark measures them.
 */
final class FaultMatrix {

    private FaultMatrix() {
    }

    static FaultRun.Outcome runAndCheck(FaultCluster cluster, FaultScenario scenario) {
        FaultRun.Outcome outcome = FaultRun.run(cluster, scenario);
        System.out.println("[scenario fault matrix] " + outcome.line());
        String figures = String.join("\n", outcome.report().figures());
        assertThat(outcome.report().overlaps()).as("intervals in which two members accepted writes:\n" + figures)
                .isEmpty();
        if (outcome.synchronous()) {
            assertThat(outcome.report().lostWrites()).as("acknowledged writes lost in synchronous mode:\n" + figures)
                    .isEmpty();
        }
        assertThat(outcome.converged()).as("one primary with streaming replicas again after: " + scenario.title())
                .isTrue();
        return outcome;
    }
}
