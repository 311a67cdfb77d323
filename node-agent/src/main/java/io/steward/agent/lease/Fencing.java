package io.steward.agent.lease;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own fence: once the lease has not been renewed for {@code ttl − safety_margin}
 * since the send time of the last successful renewal, it stops PostgreSQL at once (immediate
 * shutdown), on a thread of its own, whatever else the agent is doing. Checked every 20 ms.
 * Thread-safe.
 */
public final class Fencing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fencing.class);

    /** What to do when the deadline passes: stop accepting writes, and say so. */
    public interface Fence {
        void fence(String reason);
    }

    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fencing");
        thread.setDaemon(true);
        return thread;
    });
    private final Fence fence;
    private long deadlineNanos;
    private long lastRenewalNanos;
    private boolean armed;

    public Fencing(Fence fence) {
        this.fence = fence;
        checker.scheduleAtFixedRate(this::check, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** A renewal sent at {@code sentNanos} succeeded: writes are allowed for {@code allowed} after it. */
    synchronized void renewedAt(long sentNanos, Duration allowed) {
        lastRenewalNanos = sentNanos;
        deadlineNanos = sentNanos + allowed.toNanos();
        armed = true;
    }

    /** Not the leader any more: nothing to fence. */
    synchronized void clear() {
        armed = false;
    }

    synchronized boolean isWithinDeadline() {
        return armed && System.nanoTime() < deadlineNanos;
    }

    synchronized Duration remaining() {
        return armed ? Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())) : Duration.ZERO;
    }

    private void check() {
        String reason;
        synchronized (this) {
            if (!armed || System.nanoTime() < deadlineNanos) {
                return;
            }
            armed = false;
            reason = "the leader lease was not renewed for "
                    + Duration.ofNanos(System.nanoTime() - lastRenewalNanos).toMillis() + " ms";
        }
        LOG.error("FENCING: {}; stopping PostgreSQL before the lease can expire in etcd", reason);
        try {
            fence.fence(reason);
        } catch (RuntimeException e) {
            LOG.error("fencing failed: {}", e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
