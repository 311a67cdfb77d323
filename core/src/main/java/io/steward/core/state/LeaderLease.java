package io.steward.core.state;

import java.time.Instant;

/**
 * Who holds the group's leader lease in etcd, as last observed.
 *
 * @param holder   the member, or null when nobody holds it
 * @param revision the etcd revision of the last change; 0 before any observation
 * @param since    log time of the observation; null before any
 * @param epoch    the epoch of the decider that recorded the observation; revisions are compared
 *                 only within one epoch, because an etcd rebuilt from scratch (which always ends
 *                 the decider's term) starts its revisions again near 1
 */
public record LeaderLease(String holder, long revision, Instant since, long epoch) {

    /** Nothing observed yet. */
    public static final LeaderLease UNKNOWN = new LeaderLease(null, 0, null, 0);

    /**
     * Whether an observation at {@code newRevision} recorded by {@code newEpoch} is older than this
     * one: a lower revision of the same decider's term (a later term observes afresh).
     */
    public boolean isNewerThan(long newRevision, long newEpoch) {
        return newEpoch <= epoch && newRevision < revision;
    }

    public boolean isHeldBy(String member) {
        return holder != null && holder.equals(member);
    }

    public boolean isFree() {
        return holder == null;
    }
}
