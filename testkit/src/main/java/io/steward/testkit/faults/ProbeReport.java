package io.steward.testkit.faults;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the write probes of a run show: when each member certainly accepted writes on each
 * timeline, every split brain (two members certainly accepting writes at the same time), how many
 * probes each member acknowledged, and the longest time no member acknowledged any.
 * {@link ProbeAnalysis} computes it; times are {@link System#nanoTime()} readings.
 *
 * @param startNanos     when the run began: the origin of {@link #describe(Span)}
 * @param spans          one per member and timeline that has one, in order of their start
 * @param overlaps       every intersection of two spans of different members, in order of start
 * @param acknowledged   acknowledged probes per member (members with none are absent)
 * @param longestSilence the longest interval of the run with no acknowledged probe on any member
 */
public record ProbeReport(long startNanos, List<Span> spans, List<Overlap> overlaps, Map<String, Integer> acknowledged,
                          Duration longestSilence) {

    public ProbeReport {
        spans = List.copyOf(spans);
        overlaps = List.copyOf(overlaps);
        acknowledged = Collections.unmodifiableMap(new TreeMap<>(acknowledged));
    }

    /**
     * The interval in which {@code member} certainly accepted writes on {@code timeline}: from the
     * acknowledgement of its first probe there (its first commit happened by then) to the sending
     * of its last (its last commit happened after that).
     */
    public record Span(String member, int timeline, long fromNanos, long toNanos, int probes) {

        public Duration duration() {
            return Duration.ofNanos(toNanos - fromNanos);
        }

        boolean intersects(Span other) {
            return Math.max(fromNanos, other.fromNanos) < Math.min(toNanos, other.toNanos);
        }
    }

    /** Two members that both certainly accepted writes from {@code startNanos} to {@code endNanos}. */
    public record Overlap(String firstMember, int firstTimeline, String secondMember, int secondTimeline,
                          long startNanos, long endNanos) {

        static Overlap of(Span first, Span second) {
            return new Overlap(first.member(), first.timeline(), second.member(), second.timeline(),
                    Math.max(first.fromNanos(), second.fromNanos()), Math.min(first.toNanos(), second.toNanos()));
        }

        public Duration duration() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        @Override
        public String toString() {
            return firstMember + " (timeline " + firstTimeline + ") and " + secondMember + " (timeline "
                    + secondTimeline + ") both accepted writes for " + duration().toMillis() + " ms";
        }
    }

    /** Whether no two members accepted writes at the same time. */
    public boolean splitBrainFree() {
        return overlaps.isEmpty();
    }

    /** "pg1 on timeline 1 from 0.120 s to 3.560 s (176 probes)", times from the start of the run. */
    public String describe(Span span) {
        return String.format(Locale.ROOT, "%s on timeline %d from %.3f s to %.3f s (%d probes)", span.member(),
                span.timeline(), seconds(span.fromNanos()), seconds(span.toNanos()), span.probes());
    }

    /** "pg1 (timeline 1) and pg2 (timeline 2) both accepted writes for 412 ms from 3.200 s". */
    public String describe(Overlap overlap) {
        return String.format(Locale.ROOT, "%s from %.3f s", overlap, seconds(overlap.startNanos()));
    }

    private double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    /** Acknowledged probes of all members together. */
    public int acknowledgedTotal() {
        return acknowledged.values().stream().mapToInt(Integer::intValue).sum();
    }
}
