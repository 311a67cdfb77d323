package io.steward.core.state;

import java.time.Instant;

import io.steward.core.model.Lsn;

/** A change of leader in progress. */
public sealed interface Transition {

    /** Why the leader changes. */
    enum Kind { FAILOVER, MANUAL_FAILOVER, SWITCHOVER }

    Kind kind();

    String from();

    String to();

    String requestId();

    /** Who asked: an operator identity, or "decider" for automatic failovers. */
    String actor();

    String reason();

    Instant startedAt();

    /**
     * Switchover, first step: the leader {@code from} shuts down cleanly.
     *
     * @param manual     requested as a failover: the operator's candidate need not be synchronous or caught up
     * @param checkpoint its shutdown checkpoint, once it reported the demotion; the candidate must
     *                   have received it before it is promoted
     */
    record Demotion(Kind kind, String from, String to, String requestId, String actor, String reason,
                    Instant startedAt, String commandId, boolean manual, Lsn checkpoint) implements Transition {
        public Demotion withCheckpoint(Lsn lsn) {
            return new Demotion(kind, from, to, requestId, actor, reason, startedAt, commandId, manual, lsn);
        }

        public Demotion withCommand(String id) {
            return new Demotion(kind, from, to, requestId, actor, reason, startedAt, id, manual, checkpoint);
        }

        /** The promotion that follows this demotion. */
        public Promotion toPromotion(String target, String promoteCommandId) {
            return new Promotion(kind, from, target, requestId, actor, reason, startedAt, promoteCommandId, null, 0,
                    null);
        }
    }

    /**
     * {@code to} is being promoted.
     *
     * @param promotedAt log time it reported the promotion; null until then
     * @param timeline   the timeline it reported on promotion; 0 until then
     * @param switchLsn  where the new timeline starts; null until then
     */
    record Promotion(Kind kind, String from, String to, String requestId, String actor, String reason,
                     Instant startedAt, String commandId, Instant promotedAt, int timeline, Lsn switchLsn)
            implements Transition {
        public Promotion promoted(Instant at, int newTimeline, Lsn lsn) {
            return new Promotion(kind, from, to, requestId, actor, reason, startedAt, commandId, at, newTimeline, lsn);
        }

        public Promotion withCommand(String id) {
            return new Promotion(kind, from, to, requestId, actor, reason, startedAt, id, promotedAt, timeline,
                    switchLsn);
        }

        public boolean isPromoted() {
            return promotedAt != null;
        }
    }
}
