package io.steward.events.snapshot;

import static io.steward.core.Clusters.config;
import static io.steward.core.Clusters.three;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.steward.core.Clusters;
import io.steward.core.GroupLog;
import io.steward.core.command.Command;
import io.steward.core.config.DynamicConfig;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.LogRecord;
import io.steward.core.event.OperatorRequest.ActionKind;
import io.steward.core.event.OperatorRequest.CancelScheduledRequested;
import io.steward.core.event.OperatorRequest.ConfigurationPatchRequested;
import io.steward.core.event.OperatorRequest.FailoverRequested;
import io.steward.core.event.OperatorRequest.PauseRequested;
import io.steward.core.event.OperatorRequest.ReinitializeRequested;
import io.steward.core.event.OperatorRequest.ReloadRequested;
import io.steward.core.event.OperatorRequest.RemoveClusterRequested;
import io.steward.core.event.OperatorRequest.RestartRequested;
import io.steward.core.event.OperatorRequest.ResumeRequested;
import io.steward.core.event.OperatorRequest.RoleFilter;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.MemberInfo;
import io.steward.core.model.MemberState;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;
import io.steward.core.simulation.SimulatedLogs;
import io.steward.core.state.BootstrapState;
import io.steward.core.state.CitusPause;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;
import io.steward.core.state.HistoryEntry;
import io.steward.core.state.LeaderLease;
import io.steward.core.state.OpenRequest;
import io.steward.core.state.PartitionState;
import io.steward.core.state.PendingCommand;
import io.steward.core.state.ScheduledAction;
import io.steward.core.state.SyncState;
import io.steward.core.state.Transition;
import io.steward.events.Samples;

/** Folded states to snapshot: along simulated logs, and from the core's request and switchover scenarios. */
final class SnapshotStates {

    private SnapshotStates() {
    }

    /** The state after every {@code every}-th record of each simulated run, and after its last. */
    static List<ClusterState> simulated(int perMode, long durationMs, int every) {
        List<ClusterState> states = new ArrayList<>();
        for (SimulatedLogs.Run run : SimulatedLogs.runs(perMode, durationMs)) {
            ClusterState state = ClusterState.EMPTY;
            List<LogRecord> records = run.records();
            for (int i = 0; i < records.size(); i++) {
                state = ClusterFold.apply(state, records.get(i));
                if ((i + 1) % every == 0 || i == records.size() - 1) {
                    states.add(state);
                }
            }
        }
        return states;
    }

    /**
     * The groups of {@code states} as one fleet over {@code partitions} partitions: the i-th state's
     * groups move to scope {@code fleet-i}, partition {@code i % partitions}.
     */
    static ClusterState fleet(List<ClusterState> states, int partitions) {
        ClusterState fleet = ClusterState.EMPTY;
        for (int p = 0; p < partitions; p++) {
            fleet = fleet.withPartition(new PartitionState(p, 2 + p, 1000L * p + 17, GroupLog.T0.plusNanos(p), p));
        }
        for (int i = 0; i < states.size(); i++) {
            for (GroupState group : states.get(i).groups().values()) {
                fleet = fleet.withGroup(moved(group, new GroupId("fleet-" + i, group.id().group()), i % partitions));
            }
        }
        return fleet;
    }

    private static GroupState moved(GroupState group, GroupId id, int partition) {
        return new GroupState(id, partition, group.members(), group.bootstrap(), group.leader(), group.lease(),
                group.config(), group.paused(), group.sync(), group.transition(), group.commands(), group.requests(),
                group.scheduled(), group.history(), group.blockedCode(), group.commandFailures(), group.citusPause(),
                group.stuck());
    }

    /** Every step of scenarios with open requests, scheduled actions, both transition steps, a patch and a pause. */
    static List<ClusterState> scenarios() {
        List<ClusterState> states = new ArrayList<>();
        states.add(openRequestOfEveryKind().state());
        states.addAll(bootstrap());
        states.addAll(decided(scheduled(three())));
        states.addAll(decided(switchoverRequested()));
        states.addAll(decided(switchoverDemoted()));
        states.addAll(decided(failover()));
        states.addAll(decided(manualFailover()));
        states.addAll(decided(patchedAndPaused()));
        return states;
    }

    /** Three members without data: one bootstraps, then the others clone from it. */
    private static List<ClusterState> bootstrap() {
        GroupLog log = GroupLog.empty().register("n1").at(0.1).register("n2").at(0.2).register("n3");
        List<ClusterState> states = new ArrayList<>(decided(log));
        log.at(1).ack("n1").initialized("n1").lease("n1", 5).heartbeat("n1", GroupLog.primary(Clusters.LSN, 1))
                .heartbeat("n2", GroupLog.noData()).heartbeat("n3", GroupLog.noData());
        states.addAll(decided(log));
        return states;
    }

    /**
     * A hand-made state with every command and request type pending, nanosecond times, extreme
     * numbers, nulls and empty values, and a configuration with deleted keys, fractions and NaN.
     */
    static ClusterState unusualValues() {
        Instant at = Instant.parse("2026-03-04T05:06:07.123456789Z");
        SortedMap<String, PendingCommand> commands = new TreeMap<>();
        List<Command> samples = Samples.commands();
        for (int i = 0; i < samples.size(); i++) {
            commands.put(String.format("cmd-%02d", i), new PendingCommand(samples.get(i), at.plusNanos(i), i % 2 == 0 ? "inc-" + i : null));
        }
        List<OpenRequest> requests = Samples.requests().stream().map(request -> new OpenRequest(request, at)).toList();
        Map<String, Object> odd = new HashMap<>();
        odd.put("deleted", null);
        odd.put("fraction", 0.1);
        odd.put("not_a_number", Double.NaN);
        odd.put("below_everything", Double.NEGATIVE_INFINITY);
        odd.put("largest", Long.MAX_VALUE);
        odd.put("mixed", List.of(Map.of("a", 1), "x", true, List.of()));
        odd.put("empty", Map.of());
        ConfigTree tree = Samples.CONFIG.merge(ConfigTree.of(Map.of("x_extension", odd)));
        MemberState primary = new MemberState("n1", new MemberInfo("inc-1", GroupLog.endpoints("n1"), Samples.TAGS,
                "steward 0.1.0"), Samples.PRIMARY, Long.MAX_VALUE, Instant.MIN, at, at.plusNanos(1), null);
        MemberState replica = new MemberState("n-ü", new MemberInfo("inc-2", GroupLog.endpoints("n2"), Tags.NONE, null),
                Samples.REPLICA, -1, Instant.EPOCH, Instant.MAX, at, "silent for 4.2 s");
        GroupState busy = new GroupState(new GroupId("scope-ü", 7), 2, new TreeMap<>(Map.of("n1", primary, "n-ü", replica)),
                new BootstrapState("n1", true, at, Long.MIN_VALUE), "n1", new LeaderLease("n1", Long.MAX_VALUE, at, 7),
                DynamicConfig.parse(Long.MAX_VALUE, tree).config(), true,
                new SyncState("n1", List.of("n-ü"), 1, new Lsn(-1)),
                new Transition.Demotion(Transition.Kind.SWITCHOVER, "n1", "n-ü", "req-42", "alice@ops", "asked", at,
                        "cmd-05", true, Lsn.parse("FFFFFFFF/FFFFFFFF")),
                commands, requests, new TreeMap<>(Map.of(
                        ActionKind.SWITCHOVER, new ScheduledAction(ActionKind.SWITCHOVER, at, requests.get(0).request()),
                        ActionKind.RESTART, new ScheduledAction(ActionKind.RESTART, at.plusSeconds(1),
                                requests.get(3).request()))),
                List.of(new HistoryEntry(3, Lsn.parse("1/2000060"), "switchover", at, "n1", null, "alice@ops", "req-1"),
                        new HistoryEntry(Integer.MAX_VALUE, Lsn.ZERO, "", Instant.EPOCH, "n-ü", "n1", "decider", null)),
                "no-candidate|n2=lag", new TreeMap<>(Map.of("n1", Instant.MIN, "n-ü", Instant.MAX)),
                new CitusPause(io.steward.core.event.DeciderEvent.PlannedStop.RESTART, "n1", "req-43", 60, "restart of n1 requested by ü", at,
                        at.plusMillis(3), "coordinator c1 paused 127.0.0.1:5432"),
                "the decision rules fail on this group's state: java.lang.ArithmeticException: ü");
        GroupState bare = GroupState.empty(new GroupId("scope-ü", 8), 2).withTransition(new Transition.Promotion(
                Transition.Kind.MANUAL_FAILOVER, null, "n2", null, "decider", "", at, null, null, 0, null));
        return ClusterState.EMPTY.withPartition(new PartitionState(2, Long.MAX_VALUE, 123_456_789_012L, at, 5))
                .withGroup(busy).withGroup(bare);
    }

    /** The log's state, then its state after each decision until it settles. */
    private static List<ClusterState> decided(GroupLog log) {
        List<ClusterState> states = new ArrayList<>(List.of(log.state()));
        for (int i = 0; i < 10 && !log.decideAndApply().isEmpty(); i++) {
            states.add(log.state());
        }
        return states;
    }

    /** One request of each kind, none answered yet. */
    private static GroupLog openRequestOfEveryKind() {
        GroupLog log = three().after(1);
        ConfigTree patch = config("ttl", null, "postgresql.parameters.work_mem", "8MB", "loop_wait", 2.5,
                "postgresql.pg_hba", List.of("host all all 10.0.0.0/8 md5"));
        return log.append(new SwitchoverRequested(log.request("alice"), "n1", "n2", log.now().plusSeconds(60)))
                .append(new FailoverRequested(log.request("bob"), "n3"))
                .append(new RestartRequested(log.request("alice"), List.of("n2"), RoleFilter.REPLICA, true, null,
                        "16.0", 30))
                .append(new ReloadRequested(log.request("alice"), List.of(), RoleFilter.ANY))
                .append(new ReinitializeRequested(log.request("alice"), "n3", true, false))
                .append(new PauseRequested(log.request("carol")))
                .append(new ResumeRequested(log.request("carol")))
                .append(new ConfigurationPatchRequested(log.request("alice"), patch, 1L))
                .append(new CancelScheduledRequested(log.request("carol"), ActionKind.RESTART))
                .append(new RemoveClusterRequested(log.request("carol")));
    }

    /** A switchover and a restart, both scheduled a minute ahead. */
    private static GroupLog scheduled(GroupLog log) {
        log.after(1);
        log.append(new SwitchoverRequested(log.request("alice"), "n1", "n2", log.now().plusSeconds(60)));
        log.decideAndApply();
        return log.append(new RestartRequested(log.request("alice"), List.of("n3"), RoleFilter.ANY, false,
                log.now().plusSeconds(90), null, null));
    }

    /** An operator asks for a switchover from n1 to n3. */
    private static GroupLog switchoverRequested() {
        GroupLog log = three().after(1);
        return log.append(new SwitchoverRequested(log.request("alice"), "n1", "n3", null));
    }

    /** A switchover from n1 to n3 whose demotion n1 acknowledged at its shutdown checkpoint. */
    private static GroupLog switchoverDemoted() {
        GroupLog log = switchoverRequested();
        log.decideAndApply();
        return log.at(1.3).answer("n1", Outcome.ACKNOWLEDGED, Lsn.parse("0/5000028"))
                .heartbeat("n1", GroupLog.stopped(Role.PRIMARY, "0/5000028", 1, PgState.STOPPED));
    }

    /** n1 went silent; its lease expired; the replicas are at the same position. */
    private static GroupLog failover() {
        return Clusters.leaderLost(three(), 6, Clusters.positions("n2", Clusters.LSN, "n3", Clusters.LSN));
    }

    /** n1 went silent and an operator asks for n3, which lags, to take over. */
    private static GroupLog manualFailover() {
        GroupLog log = Clusters.healthy(config("maximum_lag_on_failover", 16), "n1", "n2", "n3");
        log.at(1).heartbeat("n1", GroupLog.primary("0/5100000", 1)).refreshAllBut("n1");
        Clusters.leaderLost(log, 6, Clusters.positions("n2", Clusters.LSN, "n3", Clusters.LSN));
        return log.append(new FailoverRequested(log.request("bob"), "n3"));
    }

    /** A configuration patch then maintenance mode, asked for by an operator. */
    private static GroupLog patchedAndPaused() {
        GroupLog log = Clusters.healthy(config("synchronous_mode", "quorum", "ttl", 6), "n1", "n2", "n3").after(1);
        log.append(new ConfigurationPatchRequested(log.request("alice"),
                config("postgresql.parameters.max_connections", 300, "maximum_lag_on_failover", 1024), null));
        log.decideAndApply();
        return log.append(new PauseRequested(log.request("carol")));
    }
}
