package io.steward.core.event;

import java.util.Objects;

import io.steward.core.config.ConfigTree;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** A fact reported by a node agent about its own member. Agents decide nothing about the cluster. */
public sealed interface AgentEvent extends Event {

    GroupId group();

    String member();

    /**
     * The agent started (a new incarnation) and announces its member.
     *
     * @param systemIdentifier the data directory's system identifier; null when it has no data yet
     */
    record MemberRegistered(GroupId group, String member, String incarnation, Endpoints endpoints, Tags tags,
                            String version, Long systemIdentifier) implements AgentEvent {
        public MemberRegistered {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(member, "member");
        }
    }

    /**
     * A heartbeat: how the member's PostgreSQL looks now.
     *
     * @param sequence counts up within one incarnation; duplicates and reordered older ones are ignored
     */
    record MemberObserved(GroupId group, String member, String incarnation, long sequence, Observation observation,
                          Tags tags, Endpoints endpoints) implements AgentEvent {
        public MemberObserved {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(observation, "observation");
        }
    }

    /**
     * A transition of the member's PostgreSQL, reported as it happens (between heartbeats).
     *
     * @param lsn for DEMOTED the shutdown checkpoint position; for PROMOTED the position of the
     *            timeline switch; else the current position, if known
     */
    record MemberStateChanged(GroupId group, String member, String incarnation, StateChange change, Role role,
                              PgState state, int timeline, Lsn lsn, String detail) implements AgentEvent {
        public MemberStateChanged {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(change, "change");
        }
    }

    /** The transitions agents report. */
    enum StateChange {
        STARTED, STOPPED, CRASHED, PROMOTED, DEMOTED, REWOUND, REINITIALIZED, BOOTSTRAPPED, CLONED, FOLLOWING,
        /** The agent stopped its primary because it could not renew the leader lease in time. */
        FENCED,
        /** A transition this version does not know (written by a newer agent). */
        OTHER
    }

    /**
     * The member created (or adopted) the group's data: every other member must share this system id.
     *
     * @param bootstrapConfig the member's {@code bootstrap.dcs}: the group's first dynamic configuration
     */
    record ClusterInitialized(GroupId group, String member, long systemIdentifier, ConfigTree bootstrapConfig)
            implements AgentEvent {
        public ClusterInitialized {
            Objects.requireNonNull(bootstrapConfig, "bootstrapConfig");
        }
    }

    /**
     * What became of a command.
     *
     * @param epoch the command's epoch
     * @param lsn   for a graceful demote, the shutdown checkpoint position; else null
     */
    record CommandOutcome(GroupId group, String member, String commandId, long epoch, Outcome outcome,
                          String detail, Lsn lsn) implements AgentEvent {
        public CommandOutcome {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** Acknowledged: done. Rejected: refused before starting (stale epoch, wrong member, duplicate). Failed: tried and failed. */
    enum Outcome { ACKNOWLEDGED, REJECTED, FAILED }
}
