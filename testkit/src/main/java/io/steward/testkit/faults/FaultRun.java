package io.steward.testkit.faults;

import java.time.Duration;
import java.util.List;

import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.LogRecord;
import io.steward.testkit.Await;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.cluster.TestCluster;
import io.steward.testkit.cluster.Writer;

/**
 * One run of one {@link FaultScenario} against a converged {@link FaultCluster}: an application
 * writes through the multi-host URL every 10 ms and the {@link WriteProber} writes to every member
 * directly every 20 ms; the fault is injected, held for {@link FaultScenario#HOLD}, undone; then
 * the group must converge again. Writing stops a second after that, and the outcome is measured
 * by the independent observers, not by the cluster's own view.
 */
public final class FaultRun {

    private static final Duration WRITE_INTERVAL = Duration.ofMillis(10);

    private FaultRun() {
    }

    /** What one run measured. */
    public record Outcome(FaultScenario scenario, boolean synchronous, FaultReport report, int failovers,
                          boolean converged, Duration convergence, String primaryBefore, String primaryAfter) {

        /** Split-brain intervals the prober saw. */
        public int overlaps() {
            return report.overlaps().size();
        }

        /** Acknowledged writes the final primary does not hold. */
        public int lostWrites() {
            return report.lostWrites().size();
        }

        /** The longest time the application got no write acknowledged. */
        public Duration writeUnavailability() {
            return report.longestWriteGap();
        }

        /** A failover the scenario promised there would be no need for. */
        public boolean spuriousFailover() {
            return scenario.promisesNoFailover() && failovers > 0;
        }

        /** One line for the output of a test or a benchmark. */
        public String line() {
            return String.format("%s (%s): overlaps %d, acknowledged writes lost %d of %d, longest write gap %d ms, "
                            + "failovers %d%s, %s, primary %s → %s", scenario.title(),
                    synchronous ? "synchronous" : "asynchronous", overlaps(), lostWrites(), report.acknowledgedWrites(),
                    writeUnavailability().toMillis(), failovers, spuriousFailover() ? " (none called for)" : "",
                    converged ? "converged " + convergence.toMillis() + " ms after the fault was undone"
                            : "NOT converged", primaryBefore, primaryAfter);
        }
    }

    public static Outcome run(FaultCluster faults, FaultScenario scenario) {
        TestCluster cluster = faults.cluster();
        AgentNode before = faults.awaitConverged();
        before.sql().execute("CREATE TABLE IF NOT EXISTS steward_writes (id bigint PRIMARY KEY)",
                "TRUNCATE steward_writes");
        int mark = cluster.log().mark();
        try (WriteProber prober = WriteProber.start(cluster);
             Writer writer = Writer.start(cluster.primaryUrl(), "postgres", AgentNode.SUPERUSER_PASSWORD, WRITE_INTERVAL)) {
            Await.until("writes and probes acknowledged", TestCluster.TIMEOUT,
                    () -> writer.acks().size() > 50 && prober.report().acknowledgedTotal() > 25);

            FaultScenario.Undo undo = scenario.inject(faults);
            Await.sleep(FaultScenario.HOLD);
            long undone = System.nanoTime();
            undo.undo();

            AgentNode after = null;
            try {
                after = faults.awaitConverged();
            } catch (AssertionError e) {
                System.out.println("[faults] " + scenario.title() + ": not converged: " + e.getMessage());
            }
            Duration convergence = Duration.ofNanos(System.nanoTime() - undone);
            Await.sleep(Duration.ofSeconds(1)); // writes on the converged group, seen by both observers
            writer.close();
            prober.close();
            AgentNode finalPrimary = after != null ? after : before;
            FaultReport report = FaultReport.of(prober, writer, finalPrimary.sql());
            return new Outcome(scenario, faults.synchronous(), report, failovers(cluster, mark), after != null,
                    convergence, before.name(), after == null ? "?" : after.name());
        }
    }

    /** Failovers decided since {@code mark} (a switchover is not one). */
    private static int failovers(TestCluster cluster, int mark) {
        List<LogRecord> records = cluster.log().records();
        return (int) records.subList(mark, records.size()).stream()
                .filter(record -> record.event() instanceof FailoverDecided).count();
    }
}
