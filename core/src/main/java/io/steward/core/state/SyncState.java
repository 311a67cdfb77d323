package io.steward.core.state;

import java.util.List;

import io.steward.core.model.Lsn;

/**
 * The synchronous replication state: which standbys may be promoted without losing an acknowledged
 * commit (Patroni's /sync key).
 *
 * @param leader   the primary this state was set for
 * @param standbys members that hold every acknowledged commit (in quorum mode: the voters)
 * @param quorum   quorum mode only: of the voters, how many besides the candidate must be seen not ahead
 * @param barrier  the primary's WAL position when its last commanded {@code synchronous_standby_names}
 *                 took effect: commits after it follow that setting, older ones may not; null before any
 */
public record SyncState(String leader, List<String> standbys, int quorum, Lsn barrier) {

    public static final SyncState EMPTY = new SyncState(null, List.of(), 0, null);

    public SyncState {
        standbys = List.copyOf(standbys);
    }

    public SyncState withBarrier(Lsn lsn) {
        return new SyncState(leader, standbys, quorum, lsn);
    }

    public boolean contains(String member) {
        return standbys.contains(member);
    }
}
