package io.steward.testkit.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.steward.testkit.cluster.Writer;
import io.steward.testkit.postgres.Sql;

/**
 * What a fault did to the data path, as a test asserts it and a benchmark prints it: the write
 * prober's split brains, and the application writer's acknowledged writes that the final primary
 * no longer holds and its longest pause.
 *
 * <pre>{@code
 * FaultReport report = FaultReport.of(prober, writer, cluster.awaitHealthy(2).sql());
 * assertThat(report.overlaps()).as("split brain").isEmpty();
 * assertThat(report.lostWrites()).as("acknowledged writes lost").isEmpty();
 * }</pre>
 *
 * @param probes            the prober's analysis
 * @param acknowledgedWrites how many writes the writer saw acknowledged
 * @param lostWrites        acknowledged ids the final primary does not hold
 * @param longestWriteGap   the longest time between two acknowledged writes
 */
public record FaultReport(ProbeReport probes, int acknowledgedWrites, Set<Long> lostWrites, Duration longestWriteGap) {

    public FaultReport {
        lostWrites = Collections.unmodifiableSortedSet(new TreeSet<>(lostWrites));
    }

    /**
     * Stops nothing: reads the prober's report so far and the writer's acknowledgements, and the
     * ids now in {@code steward_writes} on {@code finalPrimary}.
     */
    public static FaultReport of(WriteProber prober, Writer writer, Sql finalPrimary) {
        Set<Long> present = new HashSet<>();
        finalPrimary.queryColumn("SELECT id FROM steward_writes").forEach(id -> present.add(Long.parseLong(id)));
        return of(prober.report(), writer, present);
    }

    /** The same from a prober's report and the ids known to be present. */
    public static FaultReport of(ProbeReport probes, Writer writer, Set<Long> present) {
        return new FaultReport(probes, writer.acks().size(), writer.lost(present), writer.longestGap());
    }

    /** Every interval in which two members both accepted writes. */
    public List<ProbeReport.Overlap> overlaps() {
        return probes.overlaps();
    }

    /** No split brain and no acknowledged write lost. */
    public boolean safe() {
        return probes.splitBrainFree() && lostWrites.isEmpty();
    }

    /** The figures, one per line, for a benchmark's output or a test's message. */
    public List<String> figures() {
        List<String> lines = new ArrayList<>();
        lines.add("split-brain overlaps: " + probes.overlaps().size());
        probes.overlaps().forEach(overlap -> lines.add("  " + probes.describe(overlap)));
        lines.add("longest overlap: " + probes.overlaps().stream().map(ProbeReport.Overlap::duration)
                .max(Duration::compareTo).orElse(Duration.ZERO).toMillis() + " ms");
        lines.add("writable spans (from the start of probing):");
        probes.spans().forEach(span -> lines.add("  " + probes.describe(span)));
        lines.add("probes acknowledged per member: " + probes.acknowledged());
        lines.add("longest time no member acknowledged a probe: " + probes.longestSilence().toMillis() + " ms");
        lines.add("writes acknowledged: " + acknowledgedWrites);
        lines.add("acknowledged writes lost: " + lostWrites.size() + (lostWrites.isEmpty() ? "" : " (ids " + ranges(lostWrites) + ")"));
        lines.add("longest write gap: " + longestWriteGap.toMillis() + " ms");
        return lines;
    }

    /** "3-7, 12, 20-25": runs of consecutive ids, at most ten runs. */
    static String ranges(Set<Long> ids) {
        long[] sorted = ids.stream().mapToLong(Long::longValue).sorted().toArray();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < sorted.length && runs.size() <= 10; ) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            runs.add(i == j ? Long.toString(sorted[i]) : sorted[i] + "-" + sorted[j]);
            i = j + 1;
        }
        return runs.size() <= 10 ? String.join(", ", runs) : String.join(", ", runs.subList(0, 10)) + ", ...";
    }

    @Override
    public String toString() {
        return String.join("\n", figures());
    }
}
