package io.steward.core.state;

import java.time.Instant;

/**
 * Who holds the group's leader lease in etcd, as last observed.
 *
 * @param holder   the member, or null when nobody holds it
 * @param revision the etcd revision of the last change; 0 before any observation
 * @param since    log time of the observation; null before any
 */
public record LeaderLease(String holder, long revision, Instant since) {

    /** Nothing observed yet. */
    public static final LeaderLease UNKNOWN = new LeaderLease(null, 0, null);

    public boolean isHeldBy(String member) {
        return holder != null && holder.equals(member);
    }

    public boolean isFree() {
        return holder == null;
    }
}
