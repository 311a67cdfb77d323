package io.steward.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent;
import io.steward.core.event.CitusEvent;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.Event;
import io.steward.core.event.Evidence;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;

/** One or more instances of every record type, with optional fields both set and unset. */
public final class Samples {

    static final GroupId GROUP = new GroupId("citus-demo", 2);
    static final Instant AT = Instant.parse("2026-03-04T05:06:07.089Z");
    static final Endpoints ENDPOINTS = new Endpoints("https://10.1.2.3:8008", "10.1.2.3", 5433);
    public static final Tags TAGS = new Tags(true, 3, true, true, "n2", true, 2, false, Map.of("zone", "a", "rack", "7"));
    public static final ConfigTree CONFIG = ConfigTree.of(Map.of("ttl", 6, "synchronous_mode", "quorum",
            "postgresql", Map.of("parameters", Map.of("max_connections", 200, "wal_level", "logical"),
                    "pg_hba", List.of("host all all 0.0.0.0/0 md5"))));
    public static final Observation PRIMARY = new Observation(Role.PRIMARY, PgState.RUNNING, 3, Lsn.parse("1/2000060"),
            Lsn.parse("1/2000000"), null, null, null, null, true, Map.of("max_connections", "100 -> 200"),
            List.of(new ReplicationPeer("n2", "streaming", "sync", Lsn.parse("1/1FFFF00"), Lsn.parse("1/1FFF000")),
                    new ReplicationPeer("n3", "catchup", "async", null, null)),
            7301234567890123456L, "FIRST 1 (\"n2\")", AT, 4, null, null);
    public static final Observation REPLICA = new Observation(Role.REPLICA, PgState.STARTING, 0, null, null,
            Lsn.parse("0/3000000"), Lsn.parse("0/2FFF000"), "streaming", "n1", false, Map.of(), List.of(), null, null,
            null, 0, 4096L, 1500L);
    static final List<Evidence> EVIDENCE = List.of(
            new Evidence("n2", Role.REPLICA, PgState.RUNNING, 3, Lsn.parse("1/2000060"), 0, 1200, 1, true, "eligible"),
            new Evidence("n3", Role.UNKNOWN, PgState.CRASHED, 0, null, 5000, 9000, 0, false, "tagged nofailover"));
    static final CommandHeader COMMAND = new CommandHeader("e7.3.1042.citus-demo/2.0", 7, GROUP, "n2");
    static final RequestHeader REQUEST = new RequestHeader("req-42", "alice@ops", GROUP);

    private Samples() {
    }

    public static List<Command> commands() {
        return List.of(
                new Command.Bootstrap(COMMAND, true),
                new Command.Clone(COMMAND, "n3", ENDPOINTS, "n1", ENDPOINTS, "n2"),
                new Command.Follow(COMMAND, "n1", ENDPOINTS, "n2", true),
                new Command.Promote(COMMAND, Lsn.parse("1/2000028")),
                new Command.Promote(COMMAND, null),
                new Command.Demote(COMMAND, Command.DemoteMode.GRACEFUL),
                new Command.Restart(COMMAND, 30, "crash recovery"),
                new Command.Restart(COMMAND, null, null),
                new Command.Reload(COMMAND),
                new Command.Reinitialize(COMMAND, "n3", ENDPOINTS, "n1", ENDPOINTS, "n2"),
                new Command.Rewind(COMMAND, "n1", ENDPOINTS, "n2"),
                new Command.ApplyConfiguration(COMMAND, 5, CONFIG),
                new Command.SetSynchronousStandbys(COMMAND, List.of("n2", "n3"), 1, true, false),
                new Command.SetSynchronousStandbys(COMMAND, List.of(), 1, false, true));
    }

    public static List<OperatorRequest> requests() {
        return List.of(
                new OperatorRequest.SwitchoverRequested(REQUEST, "n1", "n2", AT),
                new OperatorRequest.SwitchoverRequested(REQUEST, "n1", null, null),
                new OperatorRequest.FailoverRequested(REQUEST, "n3"),
                new OperatorRequest.RestartRequested(REQUEST, List.of("n1", "n2"), RoleFilter.REPLICA, true, AT, "15.4", 60),
                new OperatorRequest.RestartRequested(REQUEST, List.of(), RoleFilter.ANY, false, null, null, null),
                new OperatorRequest.ReloadRequested(REQUEST, List.of("n2"), RoleFilter.PRIMARY),
                new OperatorRequest.ReinitializeRequested(REQUEST, "n2", true, false),
                new OperatorRequest.PauseRequested(REQUEST),
                new OperatorRequest.ResumeRequested(REQUEST),
                new OperatorRequest.ConfigurationPatchRequested(REQUEST, ConfigTree.of(java.util.Collections
                        .singletonMap("ttl", null)), 3L),
                new OperatorRequest.ConfigurationPatchRequested(REQUEST, CONFIG, null),
                new OperatorRequest.RemoveClusterRequested(REQUEST),
                new OperatorRequest.CancelScheduledRequested(REQUEST, ActionKind.RESTART));
    }

    static List<Event> events() {
        List<Event> events = new ArrayList<>();
        events.add(new AgentEvent.MemberRegistered(GROUP, "n2", "inc-9", ENDPOINTS, TAGS, "steward 0.1.0", 42L));
        events.add(new AgentEvent.MemberRegistered(GROUP, "n2", "inc-9", ENDPOINTS, Tags.NONE, null, null));
        events.add(new AgentEvent.MemberObserved(GROUP, "n1", "inc-1", 99, PRIMARY, TAGS, ENDPOINTS));
        events.add(new AgentEvent.MemberObserved(GROUP, "n2", "inc-2", 1, REPLICA, Tags.NONE, ENDPOINTS));
        events.add(new AgentEvent.MemberObserved(GROUP, "n3", "inc-3", 0, Observation.NONE, Tags.NONE, ENDPOINTS));
        events.add(new AgentEvent.MemberStateChanged(GROUP, "n2", "inc-2", StateChange.PROMOTED, Role.PRIMARY,
                PgState.RUNNING, 4, Lsn.parse("1/2000060"), "promoted in 0.1 s"));
        events.add(new AgentEvent.MemberStateChanged(GROUP, "n2", "inc-2", StateChange.FENCED, Role.PRIMARY,
                PgState.STOPPED, 0, null, null));
        events.add(new AgentEvent.ClusterInitialized(GROUP, "n1", 7301234567890123456L, CONFIG));
        events.add(new AgentEvent.CommandOutcome(GROUP, "n1", "cmd-1", 7, Outcome.ACKNOWLEDGED, "done", Lsn.parse("0/1")));
        events.add(new AgentEvent.CommandOutcome(GROUP, "n1", "cmd-2", 6, Outcome.REJECTED, null, null));
        events.add(new DeciderEvent.DeciderElected(7, "decider-b"));
        events.add(new DeciderEvent.Tick(7));
        events.add(new DeciderEvent.DeciderActive(7, "decider-b", 1240, 52_317, 3));
        events.add(new DeciderEvent.LeaderLeaseChanged(7, GROUP, "n1", 1234, "acquired"));
        events.add(new DeciderEvent.LeaderLeaseChanged(7, GROUP, null, 1240, "expired"));
        events.add(new DeciderEvent.BootstrapDecided(7, GROUP, "n1", false, "first to register"));
        events.add(new DeciderEvent.MemberDeclaredFailed(7, GROUP, "n1", "silent for 4.2 s"));
        events.add(new DeciderEvent.FailoverDecided(7, GROUP, "n1", "n2", FailoverKind.AUTOMATIC, null, "most advanced", EVIDENCE));
        events.add(new DeciderEvent.FailoverDecided(7, GROUP, null, "n2", FailoverKind.MANUAL, "req-1", "asked", List.of()));
        events.add(new DeciderEvent.FailoverCompleted(7, GROUP, "n1", "n2", 4, null, "in 0.3 s"));
        events.add(new DeciderEvent.FailoverBlocked(7, GROUP, "n1", "no-candidate|n2=lag", "n2 lags", EVIDENCE));
        events.add(new DeciderEvent.SwitchoverStarted(7, GROUP, "n1", "n2", "req-2", "asked", EVIDENCE));
        events.add(new DeciderEvent.SwitchoverStarted(7, GROUP, "n1", null, null, "scheduled", List.of()));
        events.add(new DeciderEvent.SwitchoverCompleted(7, GROUP, "n1", "n2", "req-2", "done"));
        events.add(new DeciderEvent.SwitchoverAborted(7, GROUP, "n1", null, null, "no candidate"));
        events.add(new DeciderEvent.SynchronousStandbysChanged(7, GROUP, "n1", List.of("n2", "n3"), 1, "quorum"));
        events.add(new DeciderEvent.ConfigurationChanged(7, GROUP, 5, ConfigTree.of(Map.of("ttl", 6)), CONFIG, "alice", "req-3"));
        events.add(new DeciderEvent.MaintenanceModeChanged(7, GROUP, true, "bob", null));
        events.add(new DeciderEvent.ScheduledActionSet(7, GROUP, ActionKind.SWITCHOVER, AT, requests().get(0)));
        events.add(new DeciderEvent.ScheduledActionCancelled(7, GROUP, ActionKind.RESTART, "req-4", "stale"));
        for (Command command : commands()) {
            events.add(new DeciderEvent.CommandIssued(7, command, "because"));
        }
        events.add(new DeciderEvent.CommandExpired(7, GROUP, "cmd-9", "no answer in 30 s"));
        events.add(new DeciderEvent.RequestAnswered(7, GROUP, "req-5", 412, "leader name does not match"));
        events.add(new DeciderEvent.ClusterRemoved(7, GROUP, "carol", "req-6"));
        events.add(new DeciderEvent.GroupStuck(7, GROUP, "the decision rules fail on this group's state: "
                + "java.lang.ArithmeticException: long overflow"));
        events.add(new DeciderEvent.GroupUnstuck(7, GROUP, "deciding again: no action"));
        events.add(new DeciderEvent.CitusPauseRequested(7, GROUP, DeciderEvent.PlannedStop.DEMOTE, "w1", "req-7", null,
                "switchover"));
        events.add(new DeciderEvent.CitusPauseRequested(7, GROUP, DeciderEvent.PlannedStop.RESTART, "w1", "req-8", 60,
                "restart requested by alice"));
        events.add(new CitusEvent.CitusTopologyApplied(GROUP, "n1", List.of("citus_update_node(4, 'w2', 5432, true, 10000)"),
                List.of("0:120", "1:87"), 1_790_000_000_000L, 12, "citus-sync-a"));
        events.add(new CitusEvent.CitusTopologyApplied(GROUP, "n1", List.of(), List.of(), 0, 0, "citus-sync-a"));
        events.add(new CitusEvent.CitusTopologyFailed(GROUP, "n1", List.of("citus_remove_node('w9', 5432)"),
                "node at \"w9:5432\" does not exist", "citus-sync-a"));
        events.add(new CitusEvent.CitusTopologyFailed(GROUP, null, List.of(), "no coordinator leader", "citus-sync-a"));
        events.add(new CitusEvent.CitusGroupPaused(new GroupId("citus-demo", 0), GROUP, "req-7", "n1", "10.0.0.7:5432", 35, "citus-sync-a"));
        events.addAll(requests());
        return events;
    }
}
