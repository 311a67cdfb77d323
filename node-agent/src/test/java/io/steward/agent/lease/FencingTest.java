package io.steward.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FencingTest {

    private final CopyOnWriteArrayList<Long> firedAt = new CopyOnWriteArrayList<>();
    private final Fencing fencing = new Fencing(reason -> firedAt.add(System.nanoTime()));

    @AfterEach
    void close() {
        fencing.close();
    }

    @Test
    void fencesOnceTheDeadlinePasses() throws InterruptedException {
        long sent = System.nanoTime();
        fencing.renewedAt(sent, Duration.ofMillis(150));
        assertThat(fencing.isWithinDeadline()).isTrue();
        awaitFired(1);
        long late = TimeUnit.NANOSECONDS.toMillis(firedAt.get(0) - sent);
        assertThat(late).isGreaterThanOrEqualTo(150);
        assertThat(fencing.isWithinDeadline()).isFalse();
        Thread.sleep(200);
        assertThat(firedAt).hasSize(1); // disarmed after firing
    }

    @Test
    void aRenewalMovesTheDeadline() throws InterruptedException {
        fencing.renewedAt(System.nanoTime(), Duration.ofMillis(300));
        Thread.sleep(150);
        long renewed = System.nanoTime();
        fencing.renewedAt(renewed, Duration.ofMillis(300));
        Thread.sleep(250); // past the first deadline, before the second
        assertThat(firedAt).isEmpty();
        awaitFired(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(firedAt.get(0) - renewed)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void clearedMeansNothingToFence() throws InterruptedException {
        fencing.renewedAt(System.nanoTime(), Duration.ofMillis(100));
        fencing.clear();
        Thread.sleep(300);
        assertThat(firedAt).isEmpty();
        assertThat(fencing.remaining()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRenewalAnsweredAfterTheFenceFiredDoesNotArmItAgain() throws InterruptedException {
        fencing.renewedAt(System.nanoTime(), Duration.ofMillis(50));
        awaitFired(1);
        fencing.renewedAt(System.nanoTime(), Duration.ofMillis(50)); // sent before the fence, answered after
        assertThat(fencing.isWithinDeadline()).isFalse();
        Thread.sleep(200);
        assertThat(firedAt).as("fired once").hasSize(1);
    }

    @Test
    void armsAgainOnceTheFencedLeaseIsGivenUp() throws InterruptedException {
        fencing.renewedAt(System.nanoTime(), Duration.ofMillis(50));
        awaitFired(1);
        fencing.clear(); // the lease forgotten or released
        fencing.renewedAt(System.nanoTime(), Duration.ofMillis(50));
        awaitFired(2);
    }

    private void awaitFired(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (firedAt.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(firedAt).hasSize(count);
    }
}
