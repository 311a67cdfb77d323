package io.steward.decider.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EpochsTest {

    @Test
    void theElectionRevisionWhenItIsAboveEveryEpochSeen() {
        assertThat(Epochs.next(130, 100)).isEqualTo(130);
        assertThat(Epochs.next(7, 0)).isEqualTo(7);
    }

    @Test
    void oneAboveTheHighestSeenWhenEtcdWasRebuiltAndItsRevisionsStartedAgain() {
        assertThat(Epochs.next(3, 5_000)).isEqualTo(5_001);
        assertThat(Epochs.next(5_001, 5_001)).isEqualTo(5_002);
    }

    @Test
    void noEpochAboveTheLargest() {
        assertThatThrownBy(() -> Epochs.next(1, Long.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
    }
}
