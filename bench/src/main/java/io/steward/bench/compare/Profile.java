package io.steward.bench.compare;

import java.util.Map;

/**
 * The timing settings each manager runs with in one comparison: its defaults, or the fastest
 * settings it accepts as safe.
 *
 * @param name    "defaults" or "fast"
 * @param steward Steward's bootstrap.dcs keys
 * @param patroni Patroni's bootstrap.dcs keys
 */
record Profile(String name, Map<String, Object> steward, Map<String, Object> patroni) {

    /** Steward's defaults (ttl 4 s) against Patroni's (ttl 30, loop_wait 10, retry_timeout 10). */
    static final Profile DEFAULTS = new Profile("defaults", Map.of("ttl", 4),
            Map.of("ttl", 30, "loop_wait", 10, "retry_timeout", 10));

    /**
     * The fastest safe settings: Steward's ttl of 2 s (fenced 1 s after the last renewal) against
     * Patroni 3.0.2's ttl 10, loop_wait 1, retry_timeout 3 (Patroni 3.1 and later refuse ttl below 20).
     */
    static final Profile FAST = new Profile("fast", Map.of("ttl", 2),
            Map.of("ttl", 10, "loop_wait", 1, "retry_timeout", 3));

    static Profile named(String name) {
        return switch (name) {
            case "defaults" -> DEFAULTS;
            case "fast" -> FAST;
            default -> throw new IllegalArgumentException("no profile '" + name + "' (defaults, fast)");
        };
    }
}
