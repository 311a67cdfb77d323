package io.steward.audit.log;

import io.steward.core.event.AgentEvent;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.CitusEvent;
import io.steward.core.event.CitusEvent.CitusGroupPaused;
import io.steward.core.event.CitusEvent.CitusTopologyApplied;
import io.steward.core.event.CitusEvent.CitusTopologyFailed;
import io.steward.core.event.DeciderEvent;
import io.steward.core.event.DeciderEvent.BootstrapDecided;
import io.steward.core.event.DeciderEvent.CitusPauseRequested;
import io.steward.core.event.DeciderEvent.ClusterRemoved;
import io.steward.core.event.DeciderEvent.CommandExpired;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.DeciderActive;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.GroupStuck;
import io.steward.core.event.DeciderEvent.GroupUnstuck;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.DeciderEvent.ScheduledActionCancelled;
import io.steward.core.event.DeciderEvent.ScheduledActionSet;
import io.steward.core.event.DeciderEvent.SwitchoverAborted;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.event.DeciderEvent.Tick;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.core.model.GroupId;
import io.steward.core.model.Observation;

/**
 * What the audit needs to know of any record without a case per view: its kind (the record's
 * name, as in the event catalogue), the group and member it is about, and one line a person reads.
 */
public final class EventFacts {

    private EventFacts() {
    }

    public static String kind(Event event) {
        return event.getClass().getSimpleName();
    }

    /** The group a record is about; null for records about the log itself (elections, ticks). */
    public static GroupId group(Event event) {
        return switch (event) {
            case AgentEvent e -> e.group();
            case OperatorRequest e -> e.group();
            case CitusEvent e -> e.group();
            case GroupDecision e -> e.group();
            case DeciderEvent e -> null;
        };
    }

    /** The member a record is mainly about, or null. */
    public static String member(Event event) {
        return switch (event) {
            case AgentEvent e -> e.member();
            case MemberDeclaredFailed e -> e.member();
            case FailoverDecided e -> e.newLeader();
            case FailoverCompleted e -> e.newLeader();
            case FailoverBlocked e -> e.leader();
            case SwitchoverStarted e -> e.from();
            case SwitchoverCompleted e -> e.to();
            case SwitchoverAborted e -> e.from();
            case CommandIssued e -> e.command().member();
            case LeaderLeaseChanged e -> e.holder();
            case BootstrapDecided e -> e.member();
            case CitusPauseRequested e -> e.member();
            case OperatorRequest.ReinitializeRequested e -> e.member();
            case OperatorRequest.SwitchoverRequested e -> e.leader();
            case OperatorRequest.FailoverRequested e -> e.candidate();
            case CitusTopologyApplied e -> e.member();
            case CitusTopologyFailed e -> e.member();
            case CitusGroupPaused e -> e.member();
            default -> null;
        };
    }

    /** The record in one line. */
    public static String summary(Event event) {
        return switch (event) {
            case MemberObserved e -> observed(e.observation());
            case MemberStateChanged e -> e.change().name().toLowerCase() + " (" + e.role().name().toLowerCase() + ", "
                    + e.state().patroniName() + ", timeline " + e.timeline() + (e.lsn() == null ? "" : ", at " + e.lsn())
                    + ")" + (e.detail() == null ? "" : ": " + e.detail());
            case CommandOutcome e -> "command " + e.commandId() + " " + e.outcome().name().toLowerCase()
                    + (e.detail() == null ? "" : ": " + e.detail());
            case AgentEvent e -> kind(e) + " " + e.member();
            case DeciderElected e -> "decider " + e.instance() + " elected, epoch " + e.epoch();
            case DeciderActive e -> "decider " + e.instance() + " deciding, " + e.takeoverMillis() + " ms after its election";
            case Tick e -> "tick";
            case LeaderLeaseChanged e -> "leader lease " + (e.holder() == null ? "free" : "held by " + e.holder())
                    + " (" + e.cause() + ")";
            case BootstrapDecided e -> e.member() + " creates the cluster: " + e.reason();
            case MemberDeclaredFailed e -> e.member() + " held failed: " + e.reason();
            case FailoverDecided e -> "failover " + e.oldLeader() + " → " + e.newLeader() + ": " + e.reason();
            case FailoverCompleted e -> "failover completed: " + e.reason();
            case FailoverBlocked e -> "failover blocked: " + e.reason();
            case SwitchoverStarted e -> "switchover " + e.from() + " → " + (e.to() == null ? "best candidate" : e.to())
                    + ": " + e.reason();
            case SwitchoverCompleted e -> "switchover completed: " + e.reason();
            case SwitchoverAborted e -> "switchover aborted: " + e.reason();
            case SynchronousStandbysChanged e -> "synchronous standbys " + e.standbys() + ": " + e.reason();
            case ConfigurationChanged e -> "configuration version " + e.version() + " by " + e.actor() + ": "
                    + e.patch().toMap();
            case MaintenanceModeChanged e -> (e.paused() ? "paused" : "resumed") + " by " + e.actor();
            case ScheduledActionSet e -> e.action().name().toLowerCase() + " scheduled at " + e.at();
            case ScheduledActionCancelled e -> e.action().name().toLowerCase() + " unscheduled: " + e.reason();
            case CommandIssued e -> e.command().kind() + " " + e.command().member() + " (" + e.command().id() + "): "
                    + e.reason();
            case CommandExpired e -> "command " + e.commandId() + " expired: " + e.reason();
            case RequestAnswered e -> "answer " + e.status() + " to " + e.requestId() + ": " + e.message();
            case ClusterRemoved e -> "removed by " + e.actor();
            case GroupStuck e -> "decisions stuck: " + e.reason();
            case GroupUnstuck e -> "decisions resumed: " + e.reason();
            case CitusPauseRequested e -> e.reason();
            case OperatorRequest e -> e.kind() + " requested by " + e.header().actor() + " (" + e.requestId() + ")";
            case CitusTopologyApplied e -> "pg_dist_node updated on " + e.member() + " in " + e.millis() + " ms"
                    + (e.calls().isEmpty() ? "" : ": " + String.join("; ", e.calls()));
            case CitusTopologyFailed e -> "pg_dist_node not updated: " + e.reason();
            case CitusGroupPaused e -> "group " + e.group().group() + " paused on " + e.member() + " ("
                    + e.pausedPrimary() + ", took " + e.waitedMillis() + " ms)";
        };
    }

    private static String observed(Observation o) {
        StringBuilder line = new StringBuilder(o.role().name().toLowerCase()).append(' ').append(o.state().patroniName());
        if (o.timeline() > 0) {
            line.append(", timeline ").append(o.timeline());
        }
        if (o.walPosition() != null) {
            line.append(", at ").append(o.walPosition());
        }
        if (o.lagBytes() != null) {
            line.append(", lag ").append(o.lagBytes()).append(" B");
        }
        return line.toString();
    }
}
