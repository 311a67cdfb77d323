package io.steward.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.steward.testkit.Testbed;
import io.steward.testkit.faults.FaultCluster;
import io.steward.testkit.faults.FaultRun;
import io.steward.testkit.faults.FaultScenario;
import io.steward.testkit.faults.FaultTable;

/**
 * The fault matrix, many times: every scenario of {@link FaultScenario}, {@code --runs} times in
 * each mode, on one group on separate hosts per mode (the runs follow each other on the same
 * group, which is whatever the previous run left once it converged). Prints each run as it ends
 * and the table of docs/reliability.md at the end of each mode.
 *
 * <pre>
 * bash scripts/bench-faults.sh [--runs 20] [--modes async,sync] [--scenarios LEADER_KEY_DELETED,...]
 *                              [--out bench/target/faults.md]
 * </pre>
 */
public final class FaultBenchmark {

    public static void main(String[] args) throws IOException {
        int runs = 20;
        List<Boolean> modes = List.of(false, true);
        List<FaultScenario> scenarios = List.of(FaultScenario.values());
        Path out = Path.of("bench/target/faults.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--modes" -> modes = Arrays.stream(args[++i].split(",")).map(FaultBenchmark::mode).toList();
                case "--scenarios" -> scenarios = Arrays.stream(args[++i].split(",")).map(FaultScenario::valueOf).toList();
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--runs N, --modes async,sync, --scenarios NAME,..., --out FILE)");
            }
        }
        FaultTable table = new FaultTable();
        for (boolean synchronous : modes) {
            runMode(synchronous, runs, scenarios, table);
            write(out, table, runs);
        }
        System.out.println(table.markdown());
        System.out.println("Markdown: " + out.toAbsolutePath());
        System.exit(0);
    }

    private static boolean mode(String name) {
        return switch (name) {
            case "async" -> false;
            case "sync" -> true;
            default -> throw new IllegalArgumentException("a mode is async or sync, not " + name);
        };
    }

    /** Every scenario once per round, {@code runs} rounds, so that each sees the group in many states. */
    private static void runMode(boolean synchronous, int runs, List<FaultScenario> scenarios, FaultTable table) {
        Testbed testbed = new Testbed();
        FaultCluster cluster = null;
        try {
            cluster = FaultCluster.start(testbed, synchronous);
            for (int round = 1; round <= runs; round++) {
                for (FaultScenario scenario : scenarios) {
                    FaultRun.Outcome outcome = FaultRun.run(cluster, scenario);
                    table.add(outcome);
                    System.out.printf("[faults %d/%d] %s%n", round, runs, outcome.line());
                    if (outcome.overlaps() > 0 || !outcome.converged()) {
                        outcome.report().figures().forEach(line -> System.out.println("    " + line));
                    }
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            testbed.afterAll(null);
        }
    }

    private static void write(Path out, FaultTable table, int runs) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        List<String> lines = new ArrayList<>();
        lines.add("Fault matrix, " + runs + " runs per scenario and mode, " + LocalDate.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        lines.add("");
        lines.add(table.markdown());
        Files.write(out, lines);
    }
}
