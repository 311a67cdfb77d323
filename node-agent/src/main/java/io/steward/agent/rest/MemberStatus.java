package io.steward.agent.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/**
 * A member's status at one moment, and every health check Patroni's REST API answers, computed
 * from it in one place (reference: Patroni's api.py): which paths return 200, which 503.
 *
 * @param observation     the last look at PostgreSQL
 * @param holdsLease      whether this member holds the leader lease now
 * @param tags            its tags
 * @param syncState       on a replica, how its primary counts it: sync, quorum, potential, async; null if unknown
 * @param sinceLastReport how long since the agent last reported (liveness)
 * @param ttl             the leader lease's time to live (liveness)
 * @param maximumLag      maximum_lag_on_failover, the default for /readiness
 */
public record MemberStatus(Observation observation, boolean holdsLease, Tags tags, String syncState,
                           Duration sinceLastReport, Duration ttl, long maximumLag) {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|kB|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);

    public boolean running() {
        return observation.state() == PgState.RUNNING;
    }

    /** Holds the lease and runs as a writable primary. */
    public boolean isPrimary() {
        return holdsLease && running() && observation.role() == Role.PRIMARY;
    }

    public boolean isReplica() {
        return running() && observation.role() == Role.REPLICA;
    }

    /** Whether {@code check} ("primary", "replica", ...) passes given the request's query parameters. */
    public boolean passes(String check, Map<String, List<String>> query) {
        return switch (check) {
            case "", "primary", "master", "read-write" -> isPrimary();
            case "leader" -> holdsLease && running();
            case "standby-leader", "standby_leader" -> false;
            case "replica" -> replicaChecks(query);
            case "read-only" -> isPrimary() || replicaChecks(query);
            case "synchronous", "sync" -> replicaChecks(query) && "sync".equals(syncState);
            case "read-only-sync", "read-only-synchronous" -> isPrimary() || (replicaChecks(query) && "sync".equals(syncState));
            case "quorum" -> replicaChecks(query) && "quorum".equals(syncState);
            case "read-only-quorum" -> isPrimary() || (replicaChecks(query) && "quorum".equals(syncState));
            case "asynchronous", "async" -> replicaChecks(query) && !"sync".equals(syncState)
                    && !"quorum".equals(syncState);
            case "health" -> running();
            case "liveness" -> sinceLastReport.compareTo(holdsLease ? ttl : ttl.multipliedBy(2)) <= 0;
            case "readiness" -> readiness(query);
            default -> throw new IllegalArgumentException(check);
        };
    }

    /** The paths the health endpoints answer. */
    public static final List<String> CHECKS = List.of("primary", "master", "read-write", "leader", "standby-leader",
            "standby_leader", "replica", "read-only", "synchronous", "sync", "read-only-sync", "read-only-synchronous",
            "quorum", "read-only-quorum", "asynchronous", "async", "health", "liveness", "readiness");

    private boolean replicaChecks(Map<String, List<String>> query) {
        if (!isReplica() || tags.noloadbalance()) {
            return false;
        }
        Long limit = lagLimit(query);
        if (limit != null) {
            // a replica that does not stream has no known lag: it cannot promise to be close
            Long behind = observation.lagBytes();
            if (behind == null || behind > limit) {
                return false;
            }
        }
        String state = first(query, "replication_state");
        if (state != null && !state.equals(observation.replicationState())) {
            return false;
        }
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            if (entry.getKey().startsWith("tag_")) {
                String expected = entry.getValue().isEmpty() ? "" : entry.getValue().get(0);
                if (!expected.equals(tagValue(entry.getKey().substring(4)))) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean readiness(Map<String, List<String>> query) {
        if (holdsLease && running()) {
            return true;
        }
        Long limit = query.containsKey("lag") ? lagLimit(query) : Long.valueOf(maximumLag);
        Long behind = observation.lagBytes();
        return isReplica() && "streaming".equals(observation.replicationState())
                && (limit == null || (behind != null && behind <= limit));
    }

    /** {@code ?lag=} in bytes; null when absent or unreadable (Patroni then applies no limit). */
    private static Long lagLimit(Map<String, List<String>> query) {
        String lag = first(query, "lag");
        return lag == null ? null : bytes(lag);
    }

    private String tagValue(String name) {
        return switch (name) {
            case "nofailover" -> Boolean.toString(tags.nofailover());
            case "noloadbalance" -> Boolean.toString(tags.noloadbalance());
            case "clonefrom" -> Boolean.toString(tags.clonefrom());
            case "nosync" -> Boolean.toString(tags.nosync());
            case "nostream" -> Boolean.toString(tags.nostream());
            case "replicatefrom" -> tags.replicatefrom();
            case "failover_priority" -> tags.failoverPriority() == null ? null : tags.failoverPriority().toString();
            case "sync_priority" -> tags.syncPriority() == null ? null : tags.syncPriority().toString();
            default -> tags.custom().get(name);
        };
    }

    /** "16kB", "64MB", "1GB" or a plain number of bytes; null when unreadable. */
    static Long bytes(String text) {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            return null;
        }
        long value = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        return switch (unit) {
            case "KB" -> value * 1024;
            case "MB" -> value * 1024 * 1024;
            case "GB" -> value * 1024 * 1024 * 1024;
            case "TB" -> value * 1024L * 1024 * 1024 * 1024;
            default -> value;
        };
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Patroni's role word for /patroni and patronictl. */
    public String roleName() {
        if (observation.role() == Role.PRIMARY) {
            return "primary";
        }
        return observation.role() == Role.REPLICA ? "replica" : observation.role().patroniName();
    }

    /** The replication rows a primary shows in /patroni, with Patroni's field names. */
    public List<Map<String, Object>> replicationRows() {
        return observation.replication().stream().map(MemberStatus::row).toList();
    }

    private static Map<String, Object> row(ReplicationPeer peer) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("application_name", peer.name());
        row.put("state", peer.state());
        row.put("sync_state", peer.syncState());
        row.put("flush_lsn", peer.flushLsn() == null ? null : peer.flushLsn().toString());
        row.put("replay_lsn", peer.replayLsn() == null ? null : peer.replayLsn().toString());
        return row;
    }
}
