package io.steward.audit.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.config.ConfigTree;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.FailoverCompleted;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.MemberDeclaredFailed;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.Tick;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;
import io.steward.core.state.ClusterState;

/**
 * One group's log under construction, for the alerting tests: facts and decisions appended at
 * chosen log times, folded with the core's fold, and run through {@link AlertRules} and
 * {@link AlertMetrics} record by record, as the audit UI's consumer does.
 */
public final class AlertLog {

    public static final GroupId GROUP = new GroupId("demo", 0);
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final String LSN = "0/5000000";

    private final AlertRules rules;
    private final AlertMetrics metrics = new AlertMetrics();
    private final List<LogRecord> records = new ArrayList<>();
    private final List<AlertChange> changes = new ArrayList<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private ClusterState state = ClusterState.EMPTY;
    private Instant clock = T0;
    private long epoch = 1;
    private int commands;

    AlertLog(AlertRules.Policy policy) {
        this.rules = new AlertRules(policy);
        append(new DeciderElected(1, "decider-a"));
    }

    public static AlertLog withDefaults() {
        return new AlertLog(AlertRules.Policy.defaults("http://audit:8080"));
    }

    /** The folds, rules and metrics run over {@code records} from scratch: every change, in order. */
    static List<AlertChange> replay(AlertRules rules, List<LogRecord> records) {
        ClusterState current = ClusterState.EMPTY;
        List<AlertChange> all = new ArrayList<>();
        for (LogRecord record : records) {
            ClusterState next = ClusterFold.apply(current, record);
            all.addAll(rules.apply(current, record, next));
            current = next;
        }
        return all;
    }

    /** Moves the log clock to T0 + {@code seconds}. */
    /**
     * A group n1, n2, n3 whose leader n1 falls silent: held failed at 4.1 s, its lease free at 4.5 s,
     * n2 promoted from 5 s and primary at 6 s, the failover completed at 6.5 s; ticks every 0.1 s and
     * heartbeats every second until 10 s.
     */
    public static AlertLog killedPrimary(String reason) {
        AlertLog log = AlertLog.withDefaults().healthy(ConfigTree.EMPTY, "n1", "n2", "n3");
        for (int step = 1; step <= 100; step++) {
            double seconds = step * 0.1;
            log.at(seconds).tick();
            if (step % 10 == 0) {
                log.heartbeat("n2", seconds < 6 ? replica(LSN, 1, "n1") : primary("0/5000200", 2));
                log.heartbeat("n3", replica(LSN, 1, "n1"));
            }
            switch (step) {
                case 41 -> log.append(new MemberDeclaredFailed(1, GROUP, "n1", "n1 silent for 4.0 s"));
                case 45 -> log.lease(null, 20);
                case 50 -> log.append(new FailoverDecided(1, GROUP, "n1", "n2", FailoverKind.AUTOMATIC, null,
                        reason, List.of())).promote("n2");
                case 60 -> log.stateChanged("n2", StateChange.PROMOTED, Role.PRIMARY, PgState.RUNNING, 2, "0/5000100")
                        .lease("n2", 21);
                case 65 -> log.append(new FailoverCompleted(1, GROUP, "n1", "n2", 2, null, "n2 promoted in 1.5 s"));
                default -> { }
            }
        }
        return log;
    }

    public AlertLog at(double seconds) {
        clock = T0.plusMillis(Math.round(seconds * 1000));
        return this;
    }

    public AlertLog append(Event event) {
        LogRecord record = new LogRecord(0, records.size(), clock, event);
        ClusterState next = ClusterFold.apply(state, record);
        List<AlertChange> found = rules.apply(state, record, next);
        metrics.observe(state, record, next, found);
        records.add(record);
        changes.addAll(found);
        state = next;
        return this;
    }

    /** {@code leader} runs as primary holding the lease, the replicas stream from it, all at {@link #LSN}. */
    public AlertLog healthy(ConfigTree config, String leader, String... replicas) {
        register(leader);
        for (String replica : replicas) {
            register(replica);
        }
        append(new ClusterInitialized(GROUP, leader, 7000000000000000001L, config));
        lease(leader, 10);
        heartbeat(leader, primary(LSN, 1));
        for (String replica : replicas) {
            heartbeat(replica, replica(LSN, 1, leader));
        }
        return this;
    }

    public AlertLog register(String member) {
        sequences.put(member, 0L);
        return append(new MemberRegistered(GROUP, member, incarnation(member), endpoints(member), Tags.NONE,
                "steward 0.1.0", null));
    }

    public AlertLog heartbeat(String member, Observation observation) {
        long sequence = sequences.merge(member, 1L, Long::sum);
        return append(new MemberObserved(GROUP, member, incarnation(member), sequence, observation, Tags.NONE,
                endpoints(member)));
    }

    public AlertLog stateChanged(String member, StateChange change, Role role, PgState pgState, int timeline, String lsn) {
        return append(new MemberStateChanged(GROUP, member, incarnation(member), change, role, pgState, timeline,
                lsn == null ? null : Lsn.parse(lsn), null));
    }

    public AlertLog lease(String holder, long revision) {
        return append(new LeaderLeaseChanged(epoch, GROUP, holder, revision, holder == null ? "expired" : "acquired"));
    }

    public AlertLog tick() {
        return append(new Tick(epoch));
    }

    AlertLog elected(long newEpoch, String instance) {
        epoch = newEpoch;
        return append(new DeciderElected(newEpoch, instance));
    }

    public AlertLog promote(String member) {
        return append(new CommandIssued(epoch, new Command.Promote(header(member), null), "promote " + member));
    }

    public AlertLog demote(String member) {
        return append(new CommandIssued(epoch, new Command.Demote(header(member), Command.DemoteMode.GRACEFUL),
                "demote " + member));
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    List<AlertChange> changes() {
        return List.copyOf(changes);
    }

    List<AlertChange> changes(String alertname) {
        return changes.stream().filter(change -> change.alert().name().equals(alertname)).toList();
    }

    List<Alert> active() {
        return rules.active();
    }

    AlertMetrics metrics() {
        return metrics;
    }

    // ---- observations -------------------------------------------------------------------------

    public static Observation primary(String lsn, int timeline) {
        Lsn position = Lsn.parse(lsn);
        return new Observation(Role.PRIMARY, PgState.RUNNING, timeline, position, position, null, null, null, null,
                false, Map.of(), List.of(), 7000000000000000001L, "", T0, 1, null, null);
    }

    public static Observation replica(String lsn, int timeline, String upstream) {
        Lsn position = Lsn.parse(lsn);
        return new Observation(Role.REPLICA, PgState.RUNNING, timeline, null, null, position, position, "streaming",
                upstream, false, Map.of(), List.of(), 7000000000000000001L, null, T0, 1, null, null);
    }

    private CommandHeader header(String member) {
        return new CommandHeader("cmd-" + (++commands), epoch, GROUP, member);
    }

    private static String incarnation(String member) {
        return "inc-" + member;
    }

    private static Endpoints endpoints(String member) {
        return new Endpoints("http://" + member + ":8008", member, 5432);
    }
}
