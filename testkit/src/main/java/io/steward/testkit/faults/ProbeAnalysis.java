package io.steward.testkit.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.steward.testkit.faults.ProbeReport.Overlap;
import io.steward.testkit.faults.ProbeReport.Span;

/**
 * The split-brain analysis of acknowledged write probes: pure, no clock, no I/O.
 *
 * <p>A member certainly accepted writes on a timeline from the acknowledgement of its first probe
 * there to the sending of its last one; any two such spans of different members that intersect are
 * a split brain. The bounds are chosen so that a legitimate handover never counts, however slow the
 * acknowledgements: if the old primary's last commit came before the new primary's first, the old
 * span ends (at a send, before that last commit) before the new one starts (at an acknowledgement,
 * after that first commit). A member that comes back as primary on a new timeline starts a new span.
 * A single acknowledged probe proves nothing about an interval and makes no span.
 */
public final class ProbeAnalysis {

    private ProbeAnalysis() {
    }

    /**
     * Analyses the probes acknowledged during a run from {@code fromNanos} to {@code untilNanos}
     * ({@link System#nanoTime()} readings; the silence at either end counts).
     */
    public static ProbeReport analyze(List<Probe> probes, long fromNanos, long untilNanos) {
        List<Span> spans = spans(probes);
        Map<String, Integer> acknowledged = new TreeMap<>();
        probes.forEach(probe -> acknowledged.merge(probe.member(), 1, Integer::sum));
        return new ProbeReport(fromNanos, spans, overlaps(spans), acknowledged, longestSilence(probes, fromNanos, untilNanos));
    }

    /** One span per member and timeline with at least two probes far enough apart, in order of start. */
    static List<Span> spans(List<Probe> probes) {
        Map<String, List<Probe>> byMemberAndTimeline = new LinkedHashMap<>();
        for (Probe probe : probes) {
            byMemberAndTimeline.computeIfAbsent(probe.member() + "\u0000" + probe.timeline(), key -> new ArrayList<>())
                    .add(probe);
        }
        List<Span> spans = new ArrayList<>();
        for (List<Probe> group : byMemberAndTimeline.values()) {
            long from = group.stream().mapToLong(Probe::ackedNanos).min().orElseThrow();
            long to = group.stream().mapToLong(Probe::sentNanos).max().orElseThrow();
            if (from < to) {
                spans.add(new Span(group.get(0).member(), group.get(0).timeline(), from, to, group.size()));
            }
        }
        spans.sort(Comparator.comparingLong(Span::fromNanos));
        return spans;
    }

    /** Every intersection of two spans of different members, in order of start. */
    static List<Overlap> overlaps(List<Span> spans) {
        List<Overlap> overlaps = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            for (int j = i + 1; j < spans.size(); j++) {
                Span first = spans.get(i);
                Span second = spans.get(j);
                if (!first.member().equals(second.member()) && first.intersects(second)) {
                    overlaps.add(Overlap.of(first, second));
                }
            }
        }
        overlaps.sort(Comparator.comparingLong(Overlap::startNanos));
        return overlaps;
    }

    /** The longest interval within the run with no acknowledgement on any member. */
    static Duration longestSilence(List<Probe> probes, long fromNanos, long untilNanos) {
        long[] acks = probes.stream().mapToLong(Probe::ackedNanos).sorted().toArray();
        long longest = 0;
        long previous = fromNanos;
        for (long ack : acks) {
            longest = Math.max(longest, ack - previous);
            previous = Math.max(previous, ack);
        }
        return Duration.ofNanos(Math.max(longest, untilNanos - previous));
    }
}
