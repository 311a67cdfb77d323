package io.steward.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.junit.jupiter.api.Test;

/** The fencing arithmetic on its own: both fences end before etcd can expire the lease. */
class LeaseTimingTest {

    @ParameterizedTest(name = "ttl {0} s, margin {1} ms")
    @CsvSource({"4, 1000", "4, 500", "2, 500", "2, 1900", "30, 5000", "3600, 500", "10, 9999"})
    void bothFencesEndBeforeTheLeaseCanExpire(long ttlSeconds, long marginMillis) {
        LeaseTiming timing = new LeaseTiming(Duration.ofMillis(marginMillis));
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        Duration allowed = timing.allowedFor(ttlSeconds);
        long sentUptime = 1_000_000; // hundredths
        long watchdogKillsBy = (timing.watchdogDeadline(sentUptime, ttlSeconds) - sentUptime) * 10
                + LeaseTiming.WATCHDOG_POLL.toMillis();

        assertThat(allowed).as("the agent's fence").isLessThan(ttl);
        assertThat(watchdogKillsBy).as("the watchdog's kill, in ms after the send").isLessThan(ttl.toMillis());
        assertThat(ttl.toMillis() - watchdogKillsBy).as("time left for the kill itself")
                .isGreaterThanOrEqualTo(LeaseTiming.MIN_SAFETY_MARGIN.minus(LeaseTiming.WATCHDOG_LAG).toMillis());
    }

    @ParameterizedTest
    @CsvSource({"4, 1000, 3000", "4, 3500, 1000", "2, 1900, 500", "30, 5000, 25000"})
    void writesAreAllowedForTheTtlLessTheMarginButAtLeastAQuarterOfIt(long ttl, long margin, long allowed) {
        assertThat(new LeaseTiming(Duration.ofMillis(margin)).allowedFor(ttl)).isEqualTo(Duration.ofMillis(allowed));
    }

    @Test
    void aMarginBelowTheWatchdogsLagAndTheKillIsRefused() {
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofMillis(250))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 500 ms");
    }

    @Test
    void renewalsFourTimesPerTtl() {
        assertThat(LeaseTiming.renewInterval(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(1));
        assertThat(LeaseTiming.renewInterval(Duration.ofMillis(800))).isEqualTo(Duration.ofMillis(250));
        assertThat(LeaseTiming.ttlSeconds(Duration.ofMillis(500))).isEqualTo(1);
    }
}
