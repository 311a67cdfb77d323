package io.steward.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Named situations: probes as (member, timeline, sent, acknowledged) in milliseconds, and what the analysis must find. */
class ProbeAnalysisTest {

    /** A run from 0 to {@code until} ms, its probes, and the expected spans, overlaps and silence. */
    record Scenario(String name, long until, List<Probe> probes, List<String> spans, List<String> overlaps,
                    Map<String, Integer> acknowledged, long longestSilenceMillis) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("one primary throughout", 60,
                        List.of(p("pg1", 1, 0, 5), p("pg1", 1, 20, 25), p("pg1", 1, 40, 45)),
                        List.of("pg1@1 5..40"), List.of(), Map.of("pg1", 3), 20),
                new Scenario("a handover with slow acknowledgements is no split brain", 240,
                        List.of(p("pg1", 1, 0, 5), p("pg1", 1, 20, 200), p("pg2", 2, 30, 210), p("pg2", 2, 230, 235)),
                        List.of("pg1@1 5..20", "pg2@2 210..230"), List.of(), Map.of("pg1", 2, "pg2", 2), 195),
                new Scenario("two primaries acknowledging at the same time overlap", 80,
                        List.of(p("pg1", 1, 0, 5), p("pg1", 1, 20, 25), p("pg1", 1, 40, 45), p("pg1", 1, 60, 65),
                                p("pg2", 2, 30, 35), p("pg2", 2, 50, 55), p("pg2", 2, 70, 75)),
                        List.of("pg1@1 5..60", "pg2@2 35..70"), List.of("pg1@1+pg2@2 35..60 (25)"),
                        Map.of("pg1", 4, "pg2", 3), 20),
                new Scenario("back to the same member on a new timeline is a new span", 110,
                        List.of(p("pg1", 1, 0, 5), p("pg1", 1, 20, 25), p("pg2", 2, 40, 45), p("pg2", 2, 60, 65),
                                p("pg1", 3, 80, 85), p("pg1", 3, 100, 105)),
                        List.of("pg1@1 5..20", "pg2@2 45..60", "pg1@3 85..100"), List.of(),
                        Map.of("pg1", 4, "pg2", 2), 20),
                new Scenario("a single acknowledged probe proves no interval", 70,
                        List.of(p("pg1", 1, 0, 5), p("pg2", 2, 30, 35), p("pg1", 1, 60, 65)),
                        List.of("pg1@1 5..60"), List.of(), Map.of("pg1", 2, "pg2", 1), 30),
                new Scenario("a member overlapping its own earlier timeline is no split brain", 40,
                        List.of(p("pg1", 1, 0, 5), p("pg1", 2, 10, 15), p("pg1", 1, 20, 25), p("pg1", 2, 30, 35)),
                        List.of("pg1@1 5..20", "pg1@2 15..30"), List.of(), Map.of("pg1", 4), 10),
                new Scenario("three primaries at once: every pair is reported", 50,
                        List.of(p("pg1", 1, 0, 5), p("pg2", 2, 2, 7), p("pg3", 3, 4, 9),
                                p("pg1", 1, 40, 45), p("pg2", 2, 38, 43), p("pg3", 3, 36, 41)),
                        List.of("pg1@1 5..40", "pg2@2 7..38", "pg3@3 9..36"),
                        List.of("pg1@1+pg2@2 7..38 (31)", "pg1@1+pg3@3 9..36 (27)", "pg2@2+pg3@3 9..36 (27)"),
                        Map.of("pg1", 2, "pg2", 2, "pg3", 2), 32),
                new Scenario("spans that only touch do not overlap", 60,
                        List.of(p("pg1", 1, 0, 5), p("pg1", 1, 30, 35), p("pg2", 2, 20, 30), p("pg2", 2, 50, 55)),
                        List.of("pg1@1 5..30", "pg2@2 30..50"), List.of(), Map.of("pg1", 2, "pg2", 2), 25),
                new Scenario("no acknowledged probe at all: the whole run is silent", 500,
                        List.of(), List.of(), List.of(), Map.of(), 500));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void findsSpansOverlapsCountsAndTheLongestSilence(Scenario scenario) {
        ProbeReport report = ProbeAnalysis.analyze(scenario.probes(), 0, millis(scenario.until()));

        assertThat(report.spans().stream().map(ProbeAnalysisTest::describe)).as("spans")
                .containsExactlyElementsOf(scenario.spans());
        assertThat(report.overlaps().stream().map(ProbeAnalysisTest::describe)).as("overlaps")
                .containsExactlyElementsOf(scenario.overlaps());
        assertThat(report.splitBrainFree()).isEqualTo(scenario.overlaps().isEmpty());
        assertThat(report.acknowledged()).as("acknowledged").isEqualTo(scenario.acknowledged());
        assertThat(report.longestSilence()).as("longest silence").isEqualTo(Duration.ofMillis(scenario.longestSilenceMillis()));
    }

    private static Probe p(String member, int timeline, long sentMillis, long ackedMillis) {
        return new Probe(member, timeline, millis(sentMillis), millis(ackedMillis));
    }

    private static long millis(long value) {
        return Duration.ofMillis(value).toNanos();
    }

    private static String describe(ProbeReport.Span span) {
        return span.member() + "@" + span.timeline() + " " + ms(span.fromNanos()) + ".." + ms(span.toNanos());
    }

    private static String describe(ProbeReport.Overlap overlap) {
        return overlap.firstMember() + "@" + overlap.firstTimeline() + "+" + overlap.secondMember() + "@"
                + overlap.secondTimeline() + " " + ms(overlap.startNanos()) + ".." + ms(overlap.endNanos())
                + " (" + overlap.duration().toMillis() + ")";
    }

    private static long ms(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
