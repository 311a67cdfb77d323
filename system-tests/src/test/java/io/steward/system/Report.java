package io.steward.system;

import java.time.Duration;
import java.util.Locale;

/** The key figures of a scenario, printed so that each run of the suite shows them. */
final class Report {

    private Report() {
    }

    static void timing(String scenario, String what, Duration duration) {
        System.out.printf(Locale.ROOT, "[scenario %s] %s: %.2f s%n", scenario, what, duration.toMillis() / 1000.0);
    }

    static void count(String scenario, String what, long count) {
        System.out.printf(Locale.ROOT, "[scenario %s] %s: %d%n", scenario, what, count);
    }
}
