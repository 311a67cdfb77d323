package io.steward.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class FaultReportTest {

    private static final long MS = 1_000_000;

    @Test
    void aSplitBrainAndLostWritesMakeAnUnsafeReportThatNamesThem() {
        ProbeReport probes = ProbeAnalysis.analyze(List.of(
                new Probe("pg1", 1, 0, 5 * MS), new Probe("pg1", 1, 60 * MS, 65 * MS),
                new Probe("pg2", 2, 30 * MS, 35 * MS), new Probe("pg2", 2, 70 * MS, 75 * MS)), 0, 80 * MS);

        FaultReport report = new FaultReport(probes, 100, Set.of(9L, 3L, 4L, 5L), Duration.ofMillis(1200));

        assertThat(report.safe()).isFalse();
        assertThat(report.lostWrites()).containsExactly(3L, 4L, 5L, 9L);
        assertThat(report.figures()).contains(
                "split-brain overlaps: 1",
                "  pg1 (timeline 1) and pg2 (timeline 2) both accepted writes for 25 ms from 0.035 s",
                "  pg1 on timeline 1 from 0.005 s to 0.060 s (2 probes)",
                "probes acknowledged per member: {pg1=2, pg2=2}",
                "acknowledged writes lost: 4 (ids 3-5, 9)",
                "longest write gap: 1200 ms");
    }

    @Test
    void noOverlapAndNothingLostIsSafe() {
        ProbeReport probes = ProbeAnalysis.analyze(List.of(new Probe("pg1", 1, 0, 5 * MS), new Probe("pg1", 1, 20 * MS, 25 * MS)),
                0, 30 * MS);

        assertThat(new FaultReport(probes, 10, Set.of(), Duration.ofMillis(15)).safe()).isTrue();
    }

    @Test
    void listsAtMostTenRunsOfLostIds() {
        Set<Long> everyOther = LongStream.rangeClosed(1, 30).filter(id -> id % 2 == 1).boxed().collect(Collectors.toSet());

        assertThat(FaultReport.ranges(everyOther)).isEqualTo("1, 3, 5, 7, 9, 11, 13, 15, 17, 19, ...");
        assertThat(FaultReport.ranges(Set.of(7L))).isEqualTo("7");
    }
}
