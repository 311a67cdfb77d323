package io.steward.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.steward.core.collect.Sorted;

/**
 * What an agent saw of its PostgreSQL instance at one moment: the body of a heartbeat.
 *
 * @param role                  primary, replica, ...
 * @param state                 running, stopped, crashed, ...
 * @param timeline              the instance's timeline, 0 when unknown
 * @param writeLsn              on a primary, {@code pg_current_wal_lsn()}; null on a replica
 * @param flushLsn              on a primary, {@code pg_current_wal_flush_lsn()}; null on a replica
 * @param receiveLsn            on a replica, the last position received from upstream
 * @param replayLsn             on a replica, the last position replayed
 * @param replicationState      on a replica, {@code streaming} or {@code in archive recovery}; null otherwise
 * @param upstream              on a replica, the member it streams from; null otherwise
 * @param pendingRestart        whether a changed setting needs a restart
 * @param pendingRestartReasons setting → "old → new" for the changes waiting for a restart
 * @param replication           on a primary, its standbys as {@code pg_stat_replication} shows them
 * @param systemIdentifier      the data directory's system identifier; null without data
 * @param synchronousStandbyNames on a primary, the current {@code synchronous_standby_names}
 * @param postmasterStartTime   when the postmaster started; null when not running
 * @param configVersion         the dynamic configuration version the agent has applied; 0 for none
 * @param lagBytes              on a replica, bytes its replay is behind the last position its upstream reported;
 *                              null when unknown
 * @param lagMillis             on a replica, how long ago the last replayed transaction committed on the primary;
 *                              null when unknown
 */
public record Observation(Role role, PgState state, int timeline, Lsn writeLsn, Lsn flushLsn, Lsn receiveLsn,
                          Lsn replayLsn, String replicationState, String upstream, boolean pendingRestart,
                          Map<String, String> pendingRestartReasons, List<ReplicationPeer> replication,
                          Long systemIdentifier, String synchronousStandbyNames, Instant postmasterStartTime,
                          long configVersion, Long lagBytes, Long lagMillis) {

    /** Before the first heartbeat. */
    public static final Observation NONE = new Observation(Role.UNINITIALIZED, PgState.UNINITIALIZED, 0, null, null,
            null, null, null, null, false, Map.of(), List.of(), null, null, null, 0, null, null);

    public Observation {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(state, "state");
        pendingRestartReasons = Sorted.copyOf(pendingRestartReasons);
        replication = List.copyOf(replication);
    }

    /**
     * The most advanced WAL position this instance has: the write position of a primary, else the
     * larger of received and replayed (Patroni compares the same).
     */
    public Lsn walPosition() {
        if (role == Role.PRIMARY) {
            return writeLsn != null ? writeLsn : Lsn.max(flushLsn, Lsn.max(receiveLsn, replayLsn));
        }
        return Lsn.max(receiveLsn, replayLsn);
    }

    /** This observation with a new role, state and timeline (from a state-change report). */
    public Observation withState(Role newRole, PgState newState, int newTimeline) {
        return new Observation(newRole == null ? role : newRole, newState == null ? state : newState,
                newTimeline > 0 ? newTimeline : timeline, writeLsn, flushLsn, receiveLsn, replayLsn, replicationState,
                upstream, pendingRestart, pendingRestartReasons, replication, systemIdentifier,
                synchronousStandbyNames, postmasterStartTime, configVersion, lagBytes, lagMillis);
    }

    /** This observation following {@code newUpstream}. */
    public Observation withUpstream(String newUpstream) {
        return new Observation(role, state, timeline, writeLsn, flushLsn, receiveLsn, replayLsn, replicationState,
                newUpstream, pendingRestart, pendingRestartReasons, replication, systemIdentifier,
                synchronousStandbyNames, postmasterStartTime, configVersion, lagBytes, lagMillis);
    }

    /** This observation with the data directory's system identifier known. */
    public Observation withSystemIdentifier(Long identifier) {
        return new Observation(role, state, timeline, writeLsn, flushLsn, receiveLsn, replayLsn, replicationState,
                upstream, pendingRestart, pendingRestartReasons, replication, identifier, synchronousStandbyNames,
                postmasterStartTime, configVersion, lagBytes, lagMillis);
    }

    /** The walsender entry of {@code member}, if this primary has one. */
    public ReplicationPeer replicationOf(String member) {
        for (ReplicationPeer peer : replication) {
            if (peer.name().equals(member)) {
                return peer;
            }
        }
        return null;
    }

    public boolean isRunningPrimary() {
        return role == Role.PRIMARY && state.isRunning();
    }

    public boolean isRunningReplica() {
        return role == Role.REPLICA && state.isRunning();
    }
}
