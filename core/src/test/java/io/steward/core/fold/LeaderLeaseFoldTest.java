package io.steward.core.fold;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.steward.core.Clusters;
import io.steward.core.GroupLog;

/**
 * Leader-key observations: within one decider's term an older etcd revision never replaces a newer
 * one (a watch that lags); a later term observes afresh, so an etcd rebuilt from scratch, whose
 * revisions start again near 1, is not ignored for ever.
 */
class LeaderLeaseFoldTest {

    @Test
    void anOlderRevisionOfTheSameTermIsIgnored() {
        GroupLog log = Clusters.three().lease("n1", 5_000);
        log.lease(null, 4_000);
        assertThat(log.group().lease().holder()).isEqualTo("n1");
        assertThat(log.group().lease().revision()).isEqualTo(5_000);
    }

    @Test
    void aLaterTermObservesAfreshEvenAtLowerRevisions() {
        GroupLog log = Clusters.three().lease("n1", 5_000);
        log.elected(log.epoch() + 1).lease(null, 7);

        assertThat(log.group().lease().holder()).as("the rebuilt etcd's view").isNull();
        assertThat(log.group().lease().revision()).isEqualTo(7);
        log.lease("n2", 9);
        assertThat(log.group().lease().holder()).isEqualTo("n2");
    }
}
