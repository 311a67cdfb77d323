package io.steward.testkit.faults;

/**
 * One probe a member acknowledged: its PostgreSQL committed the probe's row on {@code timeline}.
 * Times are {@link System#nanoTime()} readings of the test JVM: when the probe was sent and when
 * its acknowledgement arrived; the commit happened somewhere between the two.
 */
public record Probe(String member, int timeline, long sentNanos, long ackedNanos) {

    public Probe {
        if (ackedNanos < sentNanos) {
            throw new IllegalArgumentException("acknowledged before it was sent: " + sentNanos + " > " + ackedNanos);
        }
    }
}
