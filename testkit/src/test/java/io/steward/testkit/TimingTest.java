package io.steward.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimingTest {

    @AfterEach
    void restoreMultiplier() {
        System.clearProperty(Timing.MULTIPLIER_PROPERTY);
    }

    @Test
    void scalesEveryWaitByTheMultiplier() {
        System.setProperty(Timing.MULTIPLIER_PROPERTY, "2.5");
        assertThat(Timing.scaled(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(10));
        assertThat(Timing.seconds(0.2)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void neverShortensAWait() {
        System.setProperty(Timing.MULTIPLIER_PROPERTY, "0.1");
        assertThat(Timing.scaled(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void rejectsANonNumberWithTheProperty() {
        System.setProperty(Timing.MULTIPLIER_PROPERTY, "fast");
        assertThatThrownBy(Timing::multiplier).hasMessageContaining(Timing.MULTIPLIER_PROPERTY).hasMessageContaining("fast");
    }

    @Test
    void awaitReportsWhatItWaitedForAndTheLastError() {
        assertThatThrownBy(() -> Await.until("the moon", Duration.ofMillis(100), () -> {
            throw new IllegalStateException("still dark");
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the moon")
                .hasRootCauseMessage("still dark");
    }

    @Test
    void portsAreLoopbackFreeBelowTheEphemeralRangeAndNeverRepeated() {
        int first = Ports.allocate();
        int second = Ports.allocate();
        assertThat(first).isNotEqualTo(second).isBetween(20_000, 32_767);
        assertThat(Ports.isFree(first)).isTrue();
    }
}
