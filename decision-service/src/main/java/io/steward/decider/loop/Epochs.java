package io.steward.decider.loop;

/**
 * How a newly elected decider picks its epoch. The election key's revision grows with every
 * election in one etcd cluster; but an etcd rebuilt from scratch starts its revisions again near 1,
 * and then every decision of the new leader would be ignored as stale by the fold and by every
 * agent. So the epoch is the revision, or one more than the highest epoch the log has seen,
 * whichever is higher: epochs never go back, whatever happens to etcd.
 */
final class Epochs {

    private Epochs() {
    }

    /**
     * @param electionRevision the revision of the election key this instance won with
     * @param highestSeen      the highest epoch in the log folded so far (0 for none)
     * @throws IllegalStateException when no higher epoch exists (the log holds the largest one)
     */
    static long next(long electionRevision, long highestSeen) {
        if (highestSeen == Long.MAX_VALUE) {
            throw new IllegalStateException("the log holds the largest possible epoch; no decider can lead above it");
        }
        return Math.max(electionRevision, highestSeen + 1);
    }
}
