package io.steward.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

import io.steward.core.collect.Sorted;

/**
 * The dynamic (cluster-wide) configuration of one group, as a validated, typed view of its
 * {@link ConfigTree}, with Patroni's keys and meanings (reference: Patroni's dynamic configuration).
 *
 * <p>Steward's defaults differ from Patroni's where speed needs it: {@code ttl} is 4 s (Patroni 30 s;
 * the lease is held in etcd, whose lessor works in whole seconds, so at least 2), and
 * {@code postgresql.use_pg_rewind} is on. Everything else keeps Patroni's default.
 *
 * @param version                 0 before any configuration was recorded; +1 per change
 * @param tree                    the configuration as written (without defaults)
 * @param ttl                     the leader lease's time to live
 * @param loopWait                accepted for compatibility; agents report every heartbeat instead
 * @param retryTimeout            how long agents retry etcd and PostgreSQL before giving up on an action
 * @param maximumLagOnFailover    replicas further behind the last known primary position are not promoted
 * @param maximumLagOnSyncnode    a synchronous standby further behind than this is swapped out; -1 off
 * @param maxTimelinesHistory     history lines kept; 0 keeps all
 * @param primaryStartTimeout     how long a crashed primary may take to restart in place before failover
 * @param primaryStopTimeout      in synchronous mode, SIGKILL a primary whose stop exceeds this; 0 off
 * @param synchronousMode         off, on or quorum
 * @param synchronousModeStrict   never fall back to asynchronous replication
 * @param synchronousNodeCount    how many synchronous standbys to keep
 * @param checkTimeline           never promote a member behind the group's timeline
 * @param usePgRewind             rejoin diverged old primaries with pg_rewind
 * @param useSlots                one physical replication slot per member on the primary
 * @param memberSlotsTtl          how long to keep the slot of a vanished member
 * @param parameters              PostgreSQL settings, with the cluster-wide ones enforced
 * @param pgHba                   lines for pg_hba.conf; empty keeps the local ones
 */
public record DynamicConfig(long version, ConfigTree tree, Duration ttl, Duration loopWait, Duration retryTimeout,
                            long maximumLagOnFailover, long maximumLagOnSyncnode, int maxTimelinesHistory,
                            Duration primaryStartTimeout, Duration primaryStopTimeout,
                            SynchronousMode synchronousMode, boolean synchronousModeStrict,
                            int synchronousNodeCount, boolean checkTimeline, boolean usePgRewind,
                            boolean useSlots, Duration memberSlotsTtl, SortedMap<String, String> parameters,
                            List<String> pgHba) {

    /** The configuration of a group before anything was recorded. */
    public static final DynamicConfig DEFAULT = parse(0, ConfigTree.EMPTY).config();

    public DynamicConfig {
        Objects.requireNonNull(tree, "tree");
        parameters = Sorted.copyOf(parameters);
        pgHba = List.copyOf(pgHba);
    }

    /** Synchronous replication modes. */
    public enum SynchronousMode {
        OFF, ON, QUORUM;

        public boolean isSynchronous() {
            return this != OFF;
        }
    }

    /** A parsed configuration and what was wrong or ignored. */
    public record Parsed(DynamicConfig config, List<String> errors, List<String> warnings) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    /**
     * Reads {@code tree} over the defaults. Errors name the key path and what is wrong; where an
     * error is found the default is kept in {@link Parsed#config()}.
     */
    public static Parsed parse(long version, ConfigTree tree) {
        return new ConfigReader(tree).read(version);
    }

    /** The effective value of a PostgreSQL setting, or null. */
    public String parameter(String name) {
        return parameters.get(name);
    }

    /** This configuration with {@code patch} merged in, validated. */
    public Parsed patched(ConfigTree patch) {
        return parse(version + 1, tree.merge(patch));
    }

    /** The settings PostgreSQL needs identical on every member (Patroni's command-line options). */
    public Map<String, String> clusterWideParameters() {
        SortedMap<String, String> wide = new java.util.TreeMap<>();
        for (String guc : ConfigReader.CLUSTER_WIDE_GUCS.keySet()) {
            String value = parameters.get(guc);
            if (value != null) {
                wide.put(guc, value);
            }
        }
        return wide;
    }
}
