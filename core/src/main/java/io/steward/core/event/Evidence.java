package io.steward.core.event;

import io.steward.core.model.Lsn;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;

/**
 * How one member looked when a decision compared members: what a person on call needs to check
 * the decision.
 *
 * @param member      the member
 * @param role        its reported role
 * @param state       its reported PostgreSQL state
 * @param timeline    its timeline
 * @param walPosition its most advanced WAL position (received or replayed on a replica)
 * @param lagBytes    how far behind the last known primary position; 0 for the primary
 * @param silenceMillis how long since it was last heard from
 * @param priority    its effective failover priority
 * @param eligible    whether it could be chosen
 * @param note        why not, or why it was chosen
 */
public record Evidence(String member, Role role, PgState state, int timeline, Lsn walPosition, long lagBytes,
                       long silenceMillis, int priority, boolean eligible, String note) {
}
