package io.steward.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.steward.core.config.ConfigTree;
import io.steward.core.model.GroupId;

/**
 * An operator's request, recorded in the log before anything acts on it, so the audit shows who
 * asked for what and when. The decider answers each one with a {@code RequestAnswered} decision.
 */
public sealed interface OperatorRequest extends Event {

    RequestHeader header();

    default GroupId group() {
        return header().group();
    }

    default String requestId() {
        return header().requestId();
    }

    /** The request's name as operators read it ("switchover"). */
    String kind();

    /**
     * What every request carries.
     *
     * @param requestId unique; the REST caller waits for the answer carrying it
     * @param actor     who asked: an operator identity, "stewardctl@host", "api:10.0.0.7"
     * @param group     the group it is about
     */
    record RequestHeader(String requestId, String actor, GroupId group) {
        public RequestHeader {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(group, "group");
        }
    }

    /** Planned, zero-loss change of leader. {@code leader} must name the current leader; no candidate: the best one. */
    record SwitchoverRequested(RequestHeader header, String leader, String candidate, Instant scheduledAt)
            implements OperatorRequest {
        public String kind() {
            return "switchover";
        }
    }

    /** Make {@code candidate} the leader, even without a healthy leader, even if it lags. */
    record FailoverRequested(RequestHeader header, String candidate) implements OperatorRequest {
        public String kind() {
            return "failover";
        }
    }

    /** Which members a restart or reload addresses. */
    enum RoleFilter { ANY, PRIMARY, REPLICA }

    /**
     * Restart PostgreSQL on {@code members} (all when empty) matching {@code role}; only those with
     * a pending restart when {@code pendingOnly}; only those older than {@code postgresVersion} when set.
     */
    record RestartRequested(RequestHeader header, List<String> members, RoleFilter role, boolean pendingOnly,
                            Instant scheduledAt, String postgresVersion, Integer timeoutSeconds)
            implements OperatorRequest {
        public RestartRequested {
            members = List.copyOf(members);
            Objects.requireNonNull(role, "role");
        }

        public String kind() {
            return "restart";
        }
    }

    /** Reload PostgreSQL's configuration on {@code members} (all when empty) matching {@code role}. */
    record ReloadRequested(RequestHeader header, List<String> members, RoleFilter role) implements OperatorRequest {
        public ReloadRequested {
            members = List.copyOf(members);
            Objects.requireNonNull(role, "role");
        }

        public String kind() {
            return "reload";
        }
    }

    /** Wipe {@code member}'s data and clone it again, from the leader when {@code fromLeader}. */
    record ReinitializeRequested(RequestHeader header, String member, boolean force, boolean fromLeader)
            implements OperatorRequest {
        public String kind() {
            return "reinitialize";
        }
    }

    /** Maintenance mode: no automatic action until resumed. */
    record PauseRequested(RequestHeader header) implements OperatorRequest {
        public String kind() {
            return "pause";
        }
    }

    /** Leave maintenance mode. */
    record ResumeRequested(RequestHeader header) implements OperatorRequest {
        public String kind() {
            return "resume";
        }
    }

    /** Merge {@code patch} into the dynamic configuration, if its version is still {@code expectedVersion} (when set). */
    record ConfigurationPatchRequested(RequestHeader header, ConfigTree patch, Long expectedVersion)
            implements OperatorRequest {
        public String kind() {
            return "configuration patch";
        }
    }

    /** Forget the group: its state is dropped from the fold (the members' data is untouched). */
    record RemoveClusterRequested(RequestHeader header) implements OperatorRequest {
        public String kind() {
            return "remove";
        }
    }

    /** Cancel a scheduled action (patronictl flush). */
    record CancelScheduledRequested(RequestHeader header, ActionKind action) implements OperatorRequest {
        public String kind() {
            return "cancel scheduled " + action.name().toLowerCase();
        }
    }

    /** What can be scheduled. */
    enum ActionKind { SWITCHOVER, RESTART }
}
