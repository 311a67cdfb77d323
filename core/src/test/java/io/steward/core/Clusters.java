package io.steward.core;

import static io.steward.core.GroupLog.primary;
import static io.steward.core.GroupLog.replica;
import static io.steward.core.GroupLog.streaming;

import java.util.LinkedHashMap;
import java.util.Map;

import io.steward.core.config.ConfigTree;
import io.steward.core.model.ReplicationPeer;

/** Starting points for scenarios. */
public final class Clusters {

    public static final String LSN = "0/5000000";

    private Clusters() {
    }

    /** A configuration tree from dotted keys and values: {@code config("ttl", 6, "postgresql.use_slots", false)}. */
    public static ConfigTree config(Object... keysAndValues) {
        ConfigTree tree = ConfigTree.EMPTY;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tree = tree.with((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return tree;
    }

    /** {@code leader} runs as primary holding the lease; every replica streams from it, all at {@link #LSN}. */
    public static GroupLog healthy(String leader, String... replicas) {
        return healthy(ConfigTree.EMPTY, GroupLog.empty(), leader, replicas);
    }

    public static GroupLog healthy(ConfigTree config, String leader, String... replicas) {
        return healthy(config, GroupLog.empty(), leader, replicas);
    }

    /** Same, on a log prepared with tags. */
    public static GroupLog healthy(ConfigTree config, GroupLog log, String leader, String... replicas) {
        log.register(leader);
        for (String replica : replicas) {
            log.register(replica);
        }
        log.initialized(leader, config).lease(leader, 10);
        ReplicationPeer[] peers = new ReplicationPeer[replicas.length];
        for (int i = 0; i < replicas.length; i++) {
            peers[i] = streaming(replicas[i], LSN);
        }
        log.heartbeat(leader, primary(LSN, 1, peers));
        for (String replica : replicas) {
            log.heartbeat(replica, replica(LSN, 1, leader));
        }
        return log;
    }

    /** The common three-member group: n1 leads, n2 and n3 stream. */
    public static GroupLog three() {
        return healthy("n1", "n2", "n3");
    }

    /**
     * n1's lease expired at {@code seconds}: n1 silent since 0, the replicas report at the given
     * positions; member failures already declared.
     */
    public static GroupLog leaderLost(GroupLog log, double seconds, Map<String, String> positions) {
        log.at(seconds);
        positions.forEach((member, lsn) -> log.heartbeat(member, replica(lsn, 1, "n1")));
        return log.declareFailures().lease(null, 20);
    }

    public static Map<String, String> positions(String... memberAndLsn) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < memberAndLsn.length; i += 2) {
            map.put(memberAndLsn[i], memberAndLsn[i + 1]);
        }
        return map;
    }
}
