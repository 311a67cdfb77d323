package io.steward.decider.loop;

import java.time.Duration;

/**
 * When the decision loop last got its work done: a round as a standby, or a leader's round whose
 * records were written (or that had nothing to write). The leadership reads it: a leader whose
 * loop cannot write (Kafka unreachable from this instance, a write blocked) for a whole lease ttl
 * resigns, so that a standby that can write takes over, and a stalled instance does not campaign.
 *
 * <p>Thread-safe: the loop writes, the leadership thread reads.
 */
public final class LoopProgress {

    private volatile long lastNanos = System.nanoTime();
    private volatile boolean failed;

    void made() {
        lastNanos = System.nanoTime();
    }

    void failed() {
        failed = true;
    }

    /** Whether the loop got its work done within {@code limit} and has not failed for good. */
    public boolean within(Duration limit) {
        return !failed && System.nanoTime() - lastNanos < limit.toNanos();
    }
}
