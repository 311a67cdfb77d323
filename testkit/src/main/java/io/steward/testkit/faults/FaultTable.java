package io.steward.testkit.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault matrix's figures: per scenario and mode, how many runs, split-brain overlaps,
 * acknowledged writes lost, write unavailability and convergence (median and maximum), spurious
 * failovers and runs that did not converge. Rendered as the Markdown table of
 * {@code docs/reliability.md}.
 *
 * <p>Not thread-safe.
 */
public final class FaultTable {

    private final Map<String, List<FaultRun.Outcome>> rows = new LinkedHashMap<>();

    public void add(FaultRun.Outcome outcome) {
        rows.computeIfAbsent(outcome.scenario().title() + (outcome.synchronous() ? " | sync" : " | async"),
                key -> new ArrayList<>()).add(outcome);
    }

    public String markdown() {
        StringBuilder table = new StringBuilder("| scenario | mode | runs | split-brain overlaps | acknowledged writes "
                + "lost | write unavailability p50 / max | convergence p50 / max | spurious failovers | not converged |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach((key, outcomes) -> {
            List<Duration> unavailable = outcomes.stream().map(FaultRun.Outcome::writeUnavailability).toList();
            List<Duration> convergence = outcomes.stream().filter(FaultRun.Outcome::converged)
                    .map(FaultRun.Outcome::convergence).toList();
            table.append("| ").append(key).append(" | ").append(outcomes.size())
                    .append(" | ").append(outcomes.stream().mapToInt(FaultRun.Outcome::overlaps).sum())
                    .append(" | ").append(outcomes.stream().mapToInt(FaultRun.Outcome::lostWrites).sum())
                    .append(" | ").append(seconds(median(unavailable))).append(" / ").append(seconds(max(unavailable)))
                    .append(" | ").append(seconds(median(convergence))).append(" / ").append(seconds(max(convergence)))
                    .append(" | ").append(outcomes.stream().filter(FaultRun.Outcome::spuriousFailover).count())
                    .append(" | ").append(outcomes.stream().filter(outcome -> !outcome.converged()).count())
                    .append(" |\n");
        });
        return table.toString();
    }

    private static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Duration> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static Duration max(List<Duration> values) {
        return values.stream().max(Duration::compareTo).orElse(null);
    }

    private static String seconds(Duration value) {
        return value == null ? "–" : String.format("%.2f s", value.toMillis() / 1000.0);
    }
}
