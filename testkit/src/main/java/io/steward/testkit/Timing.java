package io.steward.testkit;

import java.time.Duration;

/**
 * The one place that scales waits for slow machines.
 *
 * <p>Every timeout in the test kit, and every timeout a test passes to {@link Await}, is multiplied
 * by the system property {@code steward.timing.multiplier} (default 1). A CI machine that is
 * loaded can run with {@code -Dsteward.timing.multiplier=3} without any test changing. Only waits
 * scale; nothing here ever makes a test faster than written.
 */
public final class Timing {

    /** The system property that holds the multiplier. */
    public static final String MULTIPLIER_PROPERTY = "steward.timing.multiplier";

    private Timing() {
    }

    /** The current multiplier; at least 1. */
    public static double multiplier() {
        String raw = System.getProperty(MULTIPLIER_PROPERTY, "1");
        try {
            double value = Double.parseDouble(raw.trim());
            return Math.max(1.0, value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    MULTIPLIER_PROPERTY + " must be a number such as 1 or 2.5, got '" + raw + "'", e);
        }
    }

    /** {@code duration} times the multiplier. */
    public static Duration scaled(Duration duration) {
        return Duration.ofNanos((long) (duration.toNanos() * multiplier()));
    }

    /** {@code seconds} times the multiplier, as a duration. */
    public static Duration seconds(double seconds) {
        return scaled(Duration.ofMillis((long) (seconds * 1000)));
    }
}
