package io.steward.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a (scaled) timeout passes.
 *
 * <p>Exceptions thrown by the condition count as "not yet" and the last one is attached to the
 * failure, so a test waiting for a server that is still starting sees why it never came up.
 */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /**
     * Waits until {@code condition} returns true.
     *
     * @param what    a description used in the failure message ("replica streaming")
     * @param timeout the unscaled timeout; {@link Timing} scales it
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until {@code probe} yields a value, and returns it. */
    public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
        Duration scaled = Timing.scaled(timeout);
        long deadline = System.nanoTime() + scaled.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError failure = new AssertionError(
                        "Timed out after " + scaled.toMillis() + " ms waiting for " + what);
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            sleep(POLL);
        }
    }

    /** Sleeps without the checked exception; restores the interrupt flag. */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
