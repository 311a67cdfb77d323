package io.steward.core.simulation;

import java.util.ArrayList;
import java.util.List;

import io.steward.core.event.LogRecord;

/** Logs produced by simulations, for property tests of the fold and the decider. */
public final class SimulatedLogs {

    /** One run's log and where its decisions are. */
    public record Run(String name, List<LogRecord> records, List<int[]> batches) {
    }

    private SimulatedLogs() {
    }

    /** {@code perMode} runs of each replication mode, {@code durationMs} of simulated time each. */
    public static List<Run> runs(int perMode, long durationMs) {
        List<Run> runs = new ArrayList<>();
        for (Simulation.Mode mode : Simulation.Mode.values()) {
            for (long seed = 1; seed <= perMode; seed++) {
                Simulation simulation = new Simulation(seed * 104729 + mode.ordinal(), mode, Simulation.REAL, true);
                simulation.run(durationMs);
                runs.add(new Run(mode + " seed " + seed, simulation.records(), simulation.decisionBatches()));
            }
        }
        return runs;
    }
}
