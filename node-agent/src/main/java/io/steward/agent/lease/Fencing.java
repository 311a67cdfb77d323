package io.steward.agent.lease;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own fence: once the lease has not been renewed for {@code ttl − safety_margin}
 * since the send time of the last successful renewal, it stops PostgreSQL at once (immediate
 * shutdown), on a thread of its own, whatever else the agent is doing. The thread sleeps until
 * the deadline (to the millisecond), so an idle agent spends nothing on it. Thread-safe.
 */
public final class Fencing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fencing.class);

    /** What to do when the deadline passes: stop accepting writes, and say so. */
    public interface Fence {
        void fence(String reason);
    }

    private final Thread watcher = new Thread(this::watch, "fencing");
    private final Fence fence;
    private long deadlineNanos;
    private long lastRenewalNanos;
    private boolean armed;
    private boolean closed;
    /** Why the fence must fire now rather than at the deadline; null when it need not. */
    private String immediate;
    /**
     * The fence fired and the lease it guarded is being given up: no renewal may arm it again
     * (one answered while PostgreSQL stops would) until {@link #clear()}.
     */
    private boolean fired;

    public Fencing(Fence fence) {
        this.fence = fence;
        watcher.setDaemon(true);
        watcher.start();
    }

    /** A renewal sent at {@code sentNanos} succeeded: writes are allowed for {@code allowed} after it. */
    synchronized void renewedAt(long sentNanos, Duration allowed) {
        if (immediate != null || fired) {
            return; // fencing now, or fenced: a renewal that answers meanwhile changes nothing
        }
        lastRenewalNanos = sentNanos;
        deadlineNanos = sentNanos + allowed.toNanos();
        armed = true;
        notifyAll();
    }

    /**
     * Fences at once, whatever the deadline (another member holds the leader key): the same stop as
     * at the deadline, on the fencing thread. Does nothing when not armed.
     */
    synchronized void fenceNow(String reason) {
        if (armed && immediate == null) {
            immediate = reason;
            notifyAll();
        }
    }

    /** Not the leader any more: nothing to fence. */
    synchronized void clear() {
        armed = false;
        immediate = null;
        fired = false;
    }

    synchronized boolean isWithinDeadline() {
        return armed && immediate == null && System.nanoTime() < deadlineNanos;
    }

    synchronized Duration remaining() {
        return armed ? Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())) : Duration.ZERO;
    }

    private void watch() {
        try {
            while (true) {
                String reason = awaitDeadline();
                if (reason == null) {
                    return;
                }
                LOG.error("FENCING: {}; stopping PostgreSQL before the lease can expire in etcd", reason);
                try {
                    fence.fence(reason);
                } catch (RuntimeException e) {
                    LOG.error("fencing failed: {}", e.getMessage(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps until an armed deadline passes, and disarms; null once closed. */
    private synchronized String awaitDeadline() throws InterruptedException {
        while (!closed) {
            if (!armed) {
                wait();
                continue;
            }
            if (immediate != null) {
                String reason = immediate;
                immediate = null;
                armed = false;
                fired = true;
                return reason;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left); // a renewal meanwhile moves the deadline
                continue;
            }
            armed = false;
            fired = true;
            return "the leader lease was not renewed for "
                    + Duration.ofNanos(System.nanoTime() - lastRenewalNanos).toMillis() + " ms";
        }
        return null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
