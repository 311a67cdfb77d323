package io.steward.decider.loop;

import java.time.Duration;

/**
 * When the decision loop last got its work done: a round as a standby, or a leader's round whose
 * records were written (or that had nothing to write). The leadership reads it: a leader whose
 * loop cannot write (Kafka unreachable from this instance, a write blocked) for three lease ttls,
 * and at least 15 s ({@link #forLeaseTtl}), resigns, so that a standby that can write takes over,
 * and a stalled instance does not campaign.
 *
 * <p>Thread-safe: the loop writes, the leadership thread reads.
 */
public final class LoopProgress {

    private final Duration limit;
    private volatile long lastNanos = System.nanoTime();
    private volatile boolean failed;

    /**
     * @param limit how long the loop may go without getting its work done: longer than any single
     *              Kafka call of the loop may block (opening the writer 5 s, a transaction's
     *              delivery 10 s), so that a slow call alone never makes a leader resign
     */
    public LoopProgress(Duration limit) {
        this.limit = limit;
    }

    /** The limit for a leader as configured: three lease ttls, and at least 15 s. */
    public static LoopProgress forLeaseTtl(Duration ttl) {
        Duration three = ttl.multipliedBy(3);
        return new LoopProgress(three.compareTo(Duration.ofSeconds(15)) < 0 ? Duration.ofSeconds(15) : three);
    }

    public Duration limit() {
        return limit;
    }

    void made() {
        lastNanos = System.nanoTime();
    }

    void failed() {
        failed = true;
    }

    /** Whether the loop got its work done within the limit and has not failed for good. */
    public boolean isMakingProgress() {
        return !failed && System.nanoTime() - lastNanos < limit.toNanos();
    }
}
