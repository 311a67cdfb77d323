package io.steward.core.model;

/**
 * One walsender of a primary, as {@code pg_stat_replication} shows it.
 *
 * @param name      the standby's {@code application_name}, which is its member name
 * @param state     {@code streaming}, {@code catchup}, ...
 * @param syncState {@code async}, {@code sync}, {@code potential} or {@code quorum}
 * @param flushLsn  the last position the standby flushed
 * @param replayLsn the last position the standby replayed
 */
public record ReplicationPeer(String name, String state, String syncState, Lsn flushLsn, Lsn replayLsn) {

    public boolean isStreaming() {
        return "streaming".equals(state);
    }

    /** Whether the primary counts this standby's acknowledgements for synchronous commit. */
    public boolean isSynchronous() {
        return "sync".equals(syncState) || "quorum".equals(syncState);
    }
}
