package io.steward.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.steward.core.command.Command;
import io.steward.core.config.ConfigTree;
import io.steward.core.decide.Decider;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.DeciderElected;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.DeciderEvent.Tick;
import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.event.OperatorRequest.RequestHeader;
import io.steward.core.fold.ClusterFold;
import io.steward.core.model.Endpoints;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;
import io.steward.core.model.Tags;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;

/**
 * A group's event log under construction, for tests: append facts at chosen log times, fold,
 * decide, and append the decision back, as the decider does.
 */
public final class GroupLog {

    public static final GroupId GROUP = new GroupId("demo", 0);
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final List<LogRecord> records = new ArrayList<>();
    private final Map<String, Long> sequences = new java.util.HashMap<>();
    private final Map<String, Tags> tags = new java.util.HashMap<>();
    private final Map<String, Integer> restarts = new java.util.HashMap<>();
    private Instant clock = T0;
    private long epoch = 1;
    private ClusterState state = ClusterState.EMPTY;
    private GroupId id = GROUP;
    private DecisionPolicy policy = DecisionPolicy.DEFAULT;
    private int requests;

    public static GroupLog empty() {
        return new GroupLog().append(new DeciderElected(1, "decider-a"));
    }

    /** The log of another group than {@link #GROUP} (a Citus worker group, say); call before appending facts. */
    public GroupLog group(GroupId other) {
        this.id = other;
        return this;
    }

    public GroupLog policy(DecisionPolicy newPolicy) {
        this.policy = newPolicy;
        return this;
    }

    /** Moves the log clock to T0 + {@code seconds}. */
    public GroupLog at(double seconds) {
        Instant next = T0.plusMillis((long) (seconds * 1000));
        if (next.isBefore(clock)) {
            throw new IllegalArgumentException("time goes forward only");
        }
        clock = next;
        return this;
    }

    /** Moves the log clock forward by {@code seconds}. */
    public GroupLog after(double seconds) {
        clock = clock.plusMillis((long) (seconds * 1000));
        return this;
    }

    public Instant now() {
        return clock;
    }

    public long epoch() {
        return epoch;
    }

    public GroupLog append(Event event) {
        LogRecord record = new LogRecord(0, records.size(), clock, event);
        records.add(record);
        state = ClusterFold.apply(state, record);
        return this;
    }

    public GroupLog appendAll(List<? extends Event> events) {
        events.forEach(this::append);
        return this;
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    public ClusterState state() {
        return state;
    }

    public GroupState group() {
        return state.group(id).orElseThrow();
    }

    public Decision decide() {
        return Decider.decide(state, id, clock, policy);
    }

    /** Decides and appends the decision's records, as the decider does. */
    public Decision decideAndApply() {
        Decision decision = decide();
        decision.events().forEach(this::append);
        return decision;
    }

    /** Keeps deciding and applying until a decision is empty (at most {@code limit} steps). */
    public GroupLog settle(int limit) {
        for (int i = 0; i < limit; i++) {
            if (decideAndApply().isEmpty()) {
                return this;
            }
        }
        return this;
    }

    // ---- agent facts ------------------------------------------------------------------------

    public GroupLog tags(String member, Tags memberTags) {
        tags.put(member, memberTags);
        return this;
    }

    public Tags tagsOf(String member) {
        return tags.getOrDefault(member, Tags.NONE);
    }

    public static Endpoints endpoints(String member) {
        int index = member.chars().sum() % 100;
        return new Endpoints("http://10.0.0." + index + ":8008", "10.0.0." + index, 5432);
    }

    public GroupLog register(String member) {
        return register(member, null);
    }

    /** The member's agent restarts: a new incarnation registers (heartbeat sequences start over). */
    public GroupLog restartAgent(String member) {
        restarts.merge(member, 1, Integer::sum);
        return register(member);
    }

    private String incarnation(String member) {
        int restarted = restarts.getOrDefault(member, 0);
        return "inc-" + member + (restarted == 0 ? "" : "-" + restarted);
    }

    public GroupLog register(String member, Long systemIdentifier) {
        sequences.put(member, -1L);
        return append(new MemberRegistered(id, member, incarnation(member), endpoints(member), tagsOf(member),
                "steward 0.1.0, PostgreSQL 15.18", systemIdentifier));
    }

    public GroupLog heartbeat(String member, Observation observation) {
        long sequence = sequences.merge(member, 1L, Long::sum);
        return append(new MemberObserved(id, member, incarnation(member), sequence, observation, tagsOf(member),
                endpoints(member)));
    }

    public GroupLog stateChanged(String member, StateChange change, Role role, PgState pgState, int timeline, Lsn lsn,
                                 String detail) {
        return append(new MemberStateChanged(id, member, incarnation(member), change, role, pgState, timeline, lsn, detail));
    }

    public GroupLog initialized(String member) {
        return append(new ClusterInitialized(id, member, 7000000000000000001L, ConfigTree.EMPTY));
    }

    public GroupLog initialized(String member, ConfigTree config) {
        return append(new ClusterInitialized(id, member, 7000000000000000001L, config));
    }

    public GroupLog lease(String holder, long revision) {
        return append(new LeaderLeaseChanged(epoch, id, holder, revision, holder == null ? "expired" : "acquired"));
    }

    public GroupLog tick() {
        return append(new Tick(epoch));
    }

    public GroupLog elected(long newEpoch) {
        epoch = newEpoch;
        return append(new DeciderElected(newEpoch, "decider-" + newEpoch));
    }

    /** Each member heartbeats again with its last observation. */
    public GroupLog refresh(String... members) {
        for (String member : members) {
            heartbeat(member, group().members().get(member).observation());
        }
        return this;
    }

    /** Every member but {@code silent} heartbeats again with its last observation. */
    public GroupLog refreshAllBut(String... silent) {
        java.util.Set<String> quiet = java.util.Set.of(silent);
        for (String member : group().members().keySet()) {
            if (!quiet.contains(member)) {
                refresh(member);
            }
        }
        return this;
    }

    /** Applies decisions while they only declare members failed (as the decider would before acting). */
    public GroupLog declareFailures() {
        while (true) {
            Decision decision = decide();
            if (decision.isEmpty() || !decision.events().stream()
                    .allMatch(e -> e instanceof io.steward.core.event.DeciderEvent.MemberDeclaredFailed)) {
                return this;
            }
            decision.events().forEach(this::append);
        }
    }

    /** Acknowledges (or fails) every pending command of {@code member}. */
    public GroupLog answer(String member, Outcome outcome, Lsn lsn) {
        for (var pending : group().commands().values()) {
            Command command = pending.command();
            if (command.member().equals(member)) {
                append(new CommandOutcome(id, member, command.id(), command.header().epoch(), outcome,
                        outcome.name().toLowerCase(), lsn));
            }
        }
        return this;
    }

    public GroupLog ack(String member) {
        return answer(member, Outcome.ACKNOWLEDGED, null);
    }

    public RequestHeader request(String actor) {
        return new RequestHeader("req-" + (++requests), actor, id);
    }

    public String lastRequestId() {
        return "req-" + requests;
    }

    // ---- observations -----------------------------------------------------------------------

    /** A running primary at {@code lsn} on {@code timeline}, with these streaming standbys. */
    public static Observation primary(String lsn, int timeline, ReplicationPeer... peers) {
        return primary(lsn, timeline, "", peers);
    }

    public static Observation primary(String lsn, int timeline, String synchronousStandbyNames,
                                      ReplicationPeer... peers) {
        Lsn position = Lsn.parse(lsn);
        return new Observation(Role.PRIMARY, PgState.RUNNING, timeline, position, position, null, null, null, null,
                false, Map.of(), List.of(peers), 7000000000000000001L, synchronousStandbyNames, T0, 1, null, null);
    }

    /** A running replica streaming from {@code upstream}, received and replayed up to {@code lsn}. */
    public static Observation replica(String lsn, int timeline, String upstream) {
        Lsn position = Lsn.parse(lsn);
        return new Observation(Role.REPLICA, PgState.RUNNING, timeline, null, null, position, position, "streaming",
                upstream, false, Map.of(), List.of(), 7000000000000000001L, null, T0, 1, null, null);
    }

    public static Observation stopped(Role role, String lsn, int timeline, PgState state) {
        Lsn position = lsn == null ? null : Lsn.parse(lsn);
        return new Observation(role, state, timeline, role == Role.PRIMARY ? position : null, null,
                role == Role.REPLICA ? position : null, role == Role.REPLICA ? position : null, null, null, false,
                Map.of(), List.of(), 7000000000000000001L, null, null, 1, null, null);
    }

    /** The heartbeat of a member without a data directory yet. */
    public static Observation noData() {
        return Observation.NONE;
    }

    public static ReplicationPeer streaming(String name, String flush) {
        return new ReplicationPeer(name, "streaming", "async", Lsn.parse(flush), Lsn.parse(flush));
    }

    public static ReplicationPeer sync(String name, String flush) {
        return new ReplicationPeer(name, "streaming", "sync", Lsn.parse(flush), Lsn.parse(flush));
    }

    public static ReplicationPeer quorum(String name, String flush) {
        return new ReplicationPeer(name, "streaming", "quorum", Lsn.parse(flush), Lsn.parse(flush));
    }

    /** A one-line description of a decision record, for table tests. */
    public static String describe(GroupDecision event) {
        return Describe.of(event);
    }

    public static Duration seconds(double value) {
        return Duration.ofMillis((long) (value * 1000));
    }
}
