package io.steward.core;

import io.steward.core.command.Command;
import io.steward.core.event.DeciderEvent.BootstrapDecided;
import io.steward.core.event.DeciderEvent.CitusPauseRequested;
import io.steward.core.event.DeciderEvent.ClusterRemoved;
import io.steward.core.event.DeciderEvent.CommandExpired;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.ConfigurationChanged;
import io.steward.core.event.DeciderEvent.FailoverBlocked;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.MaintenanceModeChanged;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.DeciderEvent.ScheduledActionCancelled;
import io.steward.core.event.DeciderEvent.ScheduledActionSet;
import io.steward.core.event.DeciderEvent.GroupStuck;
import io.steward.core.event.DeciderEvent.GroupUnstuck;
import io.steward.core.event.DeciderEvent.SwitchoverAborted;
import io.steward.core.event.DeciderEvent.SwitchoverCompleted;
import io.steward.core.event.DeciderEvent.SwitchoverStarted;
import io.steward.core.event.DeciderEvent.SynchronousStandbysChanged;
import io.steward.core.model.SynchronousStandbyNames;

/** Compact one-line descriptions of decision records and commands, for table tests. */
public final class Describe {

    private Describe() {
    }

    public static String of(GroupDecision event) {
        return switch (event) {
            case FailoverDecided e -> "failover " + e.oldLeader() + "->" + e.newLeader();
            case FailoverCompleted e -> "failover completed " + e.newLeader();
            case FailoverBlocked e -> "failover blocked (" + e.code().split("\\|")[0] + ")";
            case SwitchoverStarted e -> "switchover started " + e.from() + "->" + (e.to() == null ? "?" : e.to());
            case SwitchoverCompleted e -> "switchover completed " + e.from() + "->" + e.to();
            case SwitchoverAborted e -> "switchover aborted";
            case CommandIssued e -> of(e.command());
            case BootstrapDecided e -> "bootstrap decided " + e.member();
            case MemberDeclaredFailed e -> "failed " + e.member();
            case SynchronousStandbysChanged e -> "sync [" + String.join(",", e.standbys()) + "] q" + e.quorum();
            case ConfigurationChanged e -> "config v" + e.version();
            case MaintenanceModeChanged e -> e.paused() ? "paused" : "resumed";
            case ScheduledActionSet e -> "scheduled " + e.action().name().toLowerCase();
            case ScheduledActionCancelled e -> "unscheduled " + e.action().name().toLowerCase();
            case CommandExpired e -> "expired";
            case RequestAnswered e -> "answer " + e.status();
            case ClusterRemoved e -> "removed";
            case GroupStuck e -> "stuck";
            case GroupUnstuck e -> "unstuck";
            case LeaderLeaseChanged e -> "lease " + e.holder();
            case CitusPauseRequested e -> "citus pause before " + e.action().name().toLowerCase() + " " + e.member();
        };
    }

    public static String of(Command command) {
        String member = command.member();
        return switch (command) {
            case Command.Bootstrap c -> "bootstrap " + member + (c.adoptExistingData() ? " adopt" : "");
            case Command.Clone c -> "clone " + member + " from " + c.source();
            case Command.Follow c -> "follow " + member + "->" + c.upstream();
            case Command.Promote c -> "promote " + member + (c.requireLsn() == null ? "" : " after " + c.requireLsn());
            case Command.Demote c -> "demote " + member + " " + c.mode().name().toLowerCase();
            case Command.Restart c -> "restart " + member;
            case Command.Reload c -> "reload " + member;
            case Command.Reinitialize c -> "reinitialize " + member + " from " + c.source();
            case Command.Rewind c -> "rewind " + member + " from " + c.source();
            case Command.ApplyConfiguration c -> "apply-config " + member + " v" + c.version();
            case Command.SetSynchronousStandbys c -> "ssn " + member + " '" + new SynchronousStandbyNames(c.quorum(),
                    c.count(), c.standbys(), c.placeholder()).render() + "'";
        };
    }
}
