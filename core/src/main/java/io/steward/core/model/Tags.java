package io.steward.core.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A member's tags, with Patroni's meaning.
 *
 * @param nofailover       never promoted (same as {@code failover_priority: 0}; wins over a priority)
 * @param failoverPriority among candidates with equal WAL position the higher wins; 0 or less never
 *                         promoted; null means the default, 1
 * @param noloadbalance    {@code /replica} answers 503; not registered as a Citus secondary
 * @param clonefrom        preferred source for cloning new replicas
 * @param replicatefrom    stream from this member instead of the leader (cascading)
 * @param nosync           never a synchronous standby
 * @param syncPriority     higher is preferred as synchronous standby; 0 or less never; null means 1
 * @param nostream         no streaming (archive recovery only)
 * @param custom           other tags, visible in the API and usable in {@code ?tag_k=v} filters
 */
public record Tags(boolean nofailover, Integer failoverPriority, boolean noloadbalance, boolean clonefrom,
                   String replicatefrom, boolean nosync, Integer syncPriority, boolean nostream,
                   Map<String, String> custom) {

    public static final Tags NONE = new Tags(false, null, false, false, null, false, null, false, Map.of());

    public Tags {
        custom = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(custom, "custom")));
    }

    /**
     * The tags as Patroni shows them in its REST API: only those set (false flags are left out),
     * then the custom ones.
     */
    public java.util.Map<String, Object> asPatroniMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        if (nofailover) {
            map.put("nofailover", true);
        }
        if (failoverPriority != null) {
            map.put("failover_priority", failoverPriority);
        }
        if (noloadbalance) {
            map.put("noloadbalance", true);
        }
        if (clonefrom) {
            map.put("clonefrom", true);
        }
        if (replicatefrom != null) {
            map.put("replicatefrom", replicatefrom);
        }
        if (nosync) {
            map.put("nosync", true);
        }
        if (syncPriority != null) {
            map.put("sync_priority", syncPriority);
        }
        if (nostream) {
            map.put("nostream", true);
        }
        map.putAll(custom);
        return map;
    }

    /** The priority used to choose among equally advanced candidates; 0 means never promoted. */
    public int effectiveFailoverPriority() {
        if (nofailover) {
            return 0;
        }
        return failoverPriority == null ? 1 : Math.max(0, failoverPriority);
    }

    /** Whether the member may ever be promoted. */
    public boolean canFailover() {
        return effectiveFailoverPriority() > 0;
    }

    /** The priority used to choose synchronous standbys; 0 means never. */
    public int effectiveSyncPriority() {
        if (nosync) {
            return 0;
        }
        return syncPriority == null ? 1 : Math.max(0, syncPriority);
    }

    public boolean canBeSynchronous() {
        return effectiveSyncPriority() > 0 && !nostream;
    }

    public Tags withNofailover(boolean value) {
        return new Tags(value, failoverPriority, noloadbalance, clonefrom, replicatefrom, nosync, syncPriority,
                nostream, custom);
    }

    public Tags withFailoverPriority(Integer value) {
        return new Tags(nofailover, value, noloadbalance, clonefrom, replicatefrom, nosync, syncPriority,
                nostream, custom);
    }

    public Tags withNosync(boolean value) {
        return new Tags(nofailover, failoverPriority, noloadbalance, clonefrom, replicatefrom, value, syncPriority,
                nostream, custom);
    }

    public Tags withSyncPriority(Integer value) {
        return new Tags(nofailover, failoverPriority, noloadbalance, clonefrom, replicatefrom, nosync, value,
                nostream, custom);
    }

    public Tags withNoloadbalance(boolean value) {
        return new Tags(nofailover, failoverPriority, value, clonefrom, replicatefrom, nosync, syncPriority,
                nostream, custom);
    }

    public Tags withClonefrom(boolean value) {
        return new Tags(nofailover, failoverPriority, noloadbalance, value, replicatefrom, nosync, syncPriority,
                nostream, custom);
    }

    public Tags withReplicatefrom(String value) {
        return new Tags(nofailover, failoverPriority, noloadbalance, clonefrom, value, nosync, syncPriority,
                nostream, custom);
    }
}
