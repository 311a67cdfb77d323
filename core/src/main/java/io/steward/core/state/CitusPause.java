package io.steward.core.state;

import java.time.Instant;
import java.util.Objects;

import io.steward.core.event.DeciderEvent.PlannedStop;

/**
 * A planned stop of a Citus worker group's primary, held until citus-sync has paused the group on
 * the coordinator (so statements through the coordinator wait instead of failing against the
 * stopping primary), or until the decider's wait for that runs out.
 *
 * @param action         what is held: the graceful demotion of a switchover, or a restart
 * @param member         the primary it is for
 * @param requestId      the operator request it serves; citus-sync names it when it reports the pause
 * @param restartTimeout for a restart, the request's timeout in seconds; otherwise null
 * @param reason         why the primary stops, in the operator's terms
 * @param requestedAt    log time the pause was asked for
 * @param pausedAt       log time citus-sync reported the group paused; null until then
 * @param pausedBy       what citus-sync reported (coordinator and paused primary); null until then
 */
public record CitusPause(PlannedStop action, String member, String requestId, Integer restartTimeout, String reason,
                         Instant requestedAt, Instant pausedAt, String pausedBy) {

    public CitusPause {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    public boolean isPaused() {
        return pausedAt != null;
    }

    public CitusPause paused(Instant at, String by) {
        return new CitusPause(action, member, requestId, restartTimeout, reason, requestedAt, at, by);
    }
}
