package io.steward.core.state;

import java.time.Instant;

import io.steward.core.model.Lsn;

/**
 * One change of leader, Patroni's history line plus who asked and why.
 *
 * @param timeline  the timeline that ended
 * @param lsn       where it ended (the new timeline's start)
 * @param reason    why the leader changed
 * @param at        log time of the promotion
 * @param newLeader the member promoted
 * @param oldLeader the previous leader, or null
 * @param actor     who asked ("decider" for automatic failovers)
 * @param requestId the operator request, or null
 */
public record HistoryEntry(int timeline, Lsn lsn, String reason, Instant at, String newLeader, String oldLeader,
                           String actor, String requestId) {
}
