package io.steward.agent.lease;

import java.time.Duration;

/**
 * The arithmetic of the leader lease and its two fences, apart from any clock or etcd: given the
 * TTL etcd granted and the safety margin, how long writes are allowed after a renewal was sent, when
 * the watchdog kills the postmaster, and how often to renew.
 *
 * <p>The guarantee it serves: etcd cannot expire a lease sooner than {@code ttl} after the
 * <em>send</em> time of its last successful renewal, so a primary that stops accepting writes
 * before {@code send + ttl} has stopped before anyone else can take the leader key. The agent's own
 * fence fires at {@code send + allowed}; the watchdog kills at most {@link #WATCHDOG_LAG} later; a
 * safety margin of at least {@link #MIN_SAFETY_MARGIN} keeps both before {@code send + ttl}.
 *
 * <p>Pure and immutable.
 */
public final class LeaseTiming {

    /** The watchdog's deadline trails the agent's, so the agent's orderly fence usually comes first. */
    static final Duration WATCHDOG_GRACE = Duration.ofMillis(200);
    /** How often the watchdog looks at its deadline. */
    static final Duration WATCHDOG_POLL = Duration.ofMillis(50);
    /** The latest the watchdog can kill after the agent's deadline: its grace and one look. */
    public static final Duration WATCHDOG_LAG = WATCHDOG_GRACE.plus(WATCHDOG_POLL);
    /**
     * The smallest safety margin the agent accepts: the watchdog's lag and as much again for the
     * kill itself and a loaded host. A smaller one would let the watchdog fire after etcd may
     * already have expired the lease.
     */
    public static final Duration MIN_SAFETY_MARGIN = Duration.ofMillis(500);

    private final Duration margin;

    /** @throws IllegalArgumentException for a margin below {@link #MIN_SAFETY_MARGIN} */
    public LeaseTiming(Duration margin) {
        if (margin.compareTo(MIN_SAFETY_MARGIN) < 0) {
            throw new IllegalArgumentException("the safety margin must be at least " + MIN_SAFETY_MARGIN.toMillis()
                    + " ms, got " + margin.toMillis() + " ms");
        }
        this.margin = margin;
    }

    public Duration margin() {
        return margin;
    }

    /**
     * How long after a renewal's send time writes are allowed on a lease etcd granted for
     * {@code grantedSeconds}: the TTL less the margin, and never less than a quarter of the TTL
     * (time to renew at least once). A margin not below the TTL is refused by the configuration, so
     * the quarter only applies after a dynamic ttl was lowered under the margin; it still ends
     * before {@code ttl}.
     */
    public Duration allowedFor(long grantedSeconds) {
        Duration ttl = Duration.ofSeconds(grantedSeconds);
        Duration allowed = ttl.minus(margin);
        return allowed.compareTo(ttl.dividedBy(4)) < 0 ? ttl.dividedBy(4) : allowed;
    }

    /**
     * The watchdog's deadline on the {@code /proc/uptime} clock (hundredths of a second) for a
     * renewal sent at {@code sentUptimeHundredths}.
     */
    public long watchdogDeadline(long sentUptimeHundredths, long grantedSeconds) {
        return sentUptimeHundredths + allowedFor(grantedSeconds).plus(WATCHDOG_GRACE).toMillis() / 10;
    }

    /** The TTL to ask etcd for, in its whole seconds. */
    public static long ttlSeconds(Duration ttl) {
        return Math.max(1, ttl.toSeconds());
    }

    /** How often the lease is renewed: four times per TTL, and no more often than every 250 ms. */
    public static Duration renewInterval(Duration ttl) {
        return Duration.ofMillis(Math.max(250, ttl.toMillis() / 4));
    }

    /** How long a renewal may take before it counts as failed: it must fail fast. */
    public static Duration requestTimeout(Duration ttl) {
        return Duration.ofMillis(Math.max(300, ttl.toMillis() / 4));
    }

    /**
     * How long taking the lease may wait: nothing is fenced yet, so longer than a renewal. A grant
     * that answers late only shortens the lease's first period: the deadline counts from when the
     * grant was sent.
     */
    public static Duration acquireTimeout(Duration ttl) {
        return Duration.ofMillis(Math.max(3000, ttl.toMillis() / 2));
    }
}
