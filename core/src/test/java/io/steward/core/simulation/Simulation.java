package io.steward.core.simulation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.steward.core.Clusters;
import io.steward.core.GroupLog;
import io.steward.core.command.Command;
import io.steward.core.config.ConfigTree;
import io.steward.core.decide.Decision;
import io.steward.core.decide.DecisionPolicy;
import io.steward.core.decide.Decider;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.FailoverDecided;
import io.steward.core.event.DeciderEvent.FailoverKind;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.LeaderLeaseChanged;
import io.steward.core.event.Evidence;
import io.steward.core.model.GroupId;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.ReplicationPeer;
import io.steward.core.model.Role;
import io.steward.core.model.SynchronousStandbyNames;
import io.steward.core.state.ClusterState;
import io.steward.core.state.GroupState;

/**
 * A seeded simulation of one group: three members (PostgreSQL, agent, fencing watchdog), etcd's
 * leader lease, the event log and the decider, under random faults (host kills, frozen agents,
 * partitions from etcd or Kafka, PostgreSQL crashes, stalled replication, write bursts, decider
 * elections with a zombie predecessor). A client writes to every member that accepts writes, and
 * commits are acknowledged by the rules of each primary's {@code synchronous_standby_names}.
 *
 * <p>Everything is driven by one {@link Random}: the same seed replays the same run.
 */
final class Simulation {

    /** The decision function under test (the real decider, or a deliberately broken one). */
    interface DecisionFunction {
        Decision decide(ClusterState state, GroupId group, Instant now);
    }

    static final DecisionFunction REAL = (state, group, now) -> Decider.decide(state, group, now, DecisionPolicy.DEFAULT);

    /** Replication modes the simulation runs in. */
    enum Mode { ASYNC, SYNC, QUORUM }

    static final long TICK = 50;
    static final long TTL = 4000;
    static final long SAFETY_MARGIN = 1000;
    static final long MAX_LAG = 512 * SimMember.COMMIT_BYTES;

    private final Random random;
    private final Mode mode;
    private final DecisionFunction decider;
    private final boolean fencing;
    private final Invariants invariants = new Invariants();
    private final GroupLog log;
    private final Map<String, SimMember> members = new LinkedHashMap<>();
    private final List<Long> acked = new ArrayList<>();
    private final List<long[]> pending = new ArrayList<>(); // {commit, owner index}
    private final List<String> story = new ArrayList<>();
    private final List<int[]> batches = new ArrayList<>();
    private long now;
    private long nextCommit = 1;
    private long nextFault;
    private long nextTick;
    private String leaseHolder;
    private long leaseExpiry;
    private long leaseRevision = 10;
    private long lastEpoch;
    private int commitsPerTick = 1;

    Simulation(long seed, Mode mode, DecisionFunction decider, boolean fencing) {
        this.random = new Random(seed);
        this.mode = mode;
        this.decider = decider;
        this.fencing = fencing;
        ConfigTree config = Clusters.config("maximum_lag_on_failover", MAX_LAG, "primary_start_timeout", 5);
        if (mode == Mode.SYNC) {
            config = config.with("synchronous_mode", true);
        } else if (mode == Mode.QUORUM) {
            config = config.with("synchronous_mode", "quorum");
        }
        this.log = Clusters.healthy(config, "n1", "n2", "n3");
        members.put("n1", new SimMember("n1", Role.PRIMARY));
        members.put("n2", new SimMember("n2", Role.REPLICA));
        members.put("n3", new SimMember("n3", Role.REPLICA));
        members.values().forEach(member -> member.sequence = 100);
        members.get("n2").upstream = "n1";
        members.get("n3").upstream = "n1";
        SimMember leader = members.get("n1");
        leader.holdsLease = true;
        leaseHolder = "n1";
        leaseExpiry = TTL;
        nextFault = 3000;
    }

    /** Runs for {@code durationMs} of simulated time; returns the violations found. */
    Invariants run(long durationMs) {
        for (now = TICK; now <= durationMs; now += TICK) {
            log.at(now / 1000.0);
            injectFaults();
            scheduledKills();
            etcd();
            watchdogs();
            writes();
            replication();
            for (SimMember member : members.values()) {
                agent(member);
            }
            if (now >= nextTick) {
                log.tick();
                nextTick = now + 250;
            }
            decide();
            checkOneWriter();
            checkEpochs();
        }
        return invariants;
    }

    List<String> story() {
        return story;
    }

    /** The log the run produced. */
    List<io.steward.core.event.LogRecord> records() {
        return log.records();
    }

    /** Where each decision's records start in {@link #records()}, and how many there are. */
    List<int[]> decisionBatches() {
        return List.copyOf(batches);
    }

    /** How many switchovers completed. */
    long switchovers() {
        return log.records().stream()
                .filter(r -> r.event() instanceof io.steward.core.event.DeciderEvent.SwitchoverCompleted).count();
    }

    /** How many times the log records a leader change completed. */
    long leaderChanges() {
        return log.records().stream().filter(r -> r.event() instanceof io.steward.core.event.DeciderEvent.FailoverCompleted
                || r.event() instanceof io.steward.core.event.DeciderEvent.SwitchoverCompleted).count();
    }

    // ---- faults ------------------------------------------------------------------------------

    private void injectFaults() {
        if (now < nextFault) {
            return;
        }
        nextFault = now + 4000 + random.nextInt(6000);
        SimMember victim = new ArrayList<>(members.values()).get(random.nextInt(members.size()));
        int kind = random.nextInt(11);
        String fault = switch (kind) {
            case 9, 10 -> switchover();
            case 8 -> stalledThenLost();
            case 0 -> killHost(leaderOr(victim));
            case 1 -> freeze(leaderOr(victim));
            case 2 -> cut(leaderOr(victim), true);
            case 3 -> cut(victim, false);
            case 4 -> crash(leaderOr(victim));
            case 5 -> stall(victim);
            case 6 -> burst();
            default -> reelect();
        };
        story.add(now + " ms: " + fault + " " + members.values());
    }

    private SimMember leaderOr(SimMember fallback) {
        for (SimMember member : members.values()) {
            if (member.acceptsWrites() && random.nextInt(3) > 0) {
                return member;
            }
        }
        return fallback;
    }

    private String killHost(SimMember member) {
        member.hostUp = false;
        member.running = false;
        member.inbox.clear();
        member.executing = null;
        long back = now + 5000 + random.nextInt(10_000);
        scheduleRestart(member, back);
        return "kill host " + member.name + " until " + back;
    }

    private final Map<String, Long> restarts = new LinkedHashMap<>();

    private void scheduleRestart(SimMember member, long at) {
        restarts.put(member.name, at);
    }

    private String freeze(SimMember member) {
        member.agentFrozenUntil = now + 3000 + random.nextInt(7000);
        return "freeze agent " + member.name + " until " + member.agentFrozenUntil;
    }

    private String cut(SimMember member, boolean etcd) {
        long until = now + 2000 + random.nextInt(6000);
        if (etcd) {
            member.etcdCutUntil = until;
        } else {
            member.kafkaCutUntil = until;
        }
        return "cut " + member.name + " from " + (etcd ? "etcd" : "Kafka") + " until " + until;
    }

    private String crash(SimMember member) {
        if (!member.hostUp) {
            return "crash of " + member.name + " skipped (host down)";
        }
        member.running = false;
        if (member.reachesKafka(now)) {
            report(member, StateChange.CRASHED, PgState.CRASHED);
        }
        return "crash PostgreSQL of " + member.name;
    }

    private String stall(SimMember member) {
        member.replicationStalledUntil = now + 2000 + random.nextInt(4000);
        return "stall replication to " + member.name + " until " + member.replicationStalledUntil;
    }

    private String burst() {
        commitsPerTick = 400 + random.nextInt(800);
        return "write burst of " + commitsPerTick + " commits";
    }

    /** An operator asks for a switchover, to a named member or to the best one. */
    private String switchover() {
        String leader = log.group().leader();
        String candidate = random.nextBoolean() ? null
                : new ArrayList<>(members.keySet()).get(random.nextInt(members.size()));
        log.append(new io.steward.core.event.OperatorRequest.SwitchoverRequested(log.request("operator"), leader,
                candidate, null));
        return "switchover requested from " + leader + " to " + (candidate == null ? "the best member" : candidate);
    }

    /** Replication to every replica stalls, the primary takes a burst of writes, then its host dies. */
    private String stalledThenLost() {
        SimMember primary = members.values().stream().filter(SimMember::acceptsWrites).findFirst().orElse(null);
        if (primary == null) {
            return "stalled-then-lost skipped (no primary)";
        }
        for (SimMember member : members.values()) {
            if (member != primary) {
                member.replicationStalledUntil = now + 1000;
            }
        }
        commitsPerTick = 300 + random.nextInt(1200);
        scheduledKills.put(primary.name, now + 500);
        return "stall replication, burst of " + commitsPerTick + " commits on " + primary.name + ", then kill its host";
    }

    private final Map<String, Long> scheduledKills = new LinkedHashMap<>();

    private void scheduledKills() {
        for (Map.Entry<String, Long> kill : new ArrayList<>(scheduledKills.entrySet())) {
            if (now >= kill.getValue()) {
                scheduledKills.remove(kill.getKey());
                story.add(now + " ms: " + killHost(members.get(kill.getKey())));
            }
        }
    }

    private String reelect() {
        long old = log.epoch();
        log.elected(old + 1);
        // A zombie of the previous decider writes a decision after the new one was elected.
        GroupState before = log.group();
        String target = new ArrayList<>(members.keySet()).get(random.nextInt(members.size()));
        log.append(new FailoverDecided(old, GroupLog.GROUP, before.leader(), target, FailoverKind.AUTOMATIC, null,
                "zombie decision", List.of()));
        if (!log.group().equals(before)) {
            invariants.violated(Invariants.EPOCHS, now, "a decision of epoch " + old + " changed the state after epoch "
                    + (old + 1) + " was elected");
        }
        return "decider epoch " + (old + 1) + " elected; zombie epoch " + old + " tried to promote " + target;
    }

    // ---- etcd and fencing --------------------------------------------------------------------

    private void etcd() {
        for (Map.Entry<String, Long> restart : new ArrayList<>(restarts.entrySet())) {
            if (now >= restart.getValue()) {
                restarts.remove(restart.getKey());
                SimMember member = members.get(restart.getKey());
                member.hostUp = true;
                member.holdsLease = false;
                member.incarnation++;
                member.sequence = 0;
                log.append(new MemberRegistered(GroupLog.GROUP, member.name, incarnation(member),
                        GroupLog.endpoints(member.name), io.steward.core.model.Tags.NONE, "sim", 7000000000000000001L));
            }
        }
        for (SimMember member : members.values()) {
            if (member.holdsLease && member.name.equals(leaseHolder) && member.reachesEtcd(now)
                    && now >= member.nextRenewal) {
                leaseExpiry = now + TTL;
                member.lastRenewalSent = now;
                member.nextRenewal = now + TTL / 4;
            }
        }
        if (leaseHolder != null && now >= leaseExpiry) {
            members.get(leaseHolder).holdsLease = false;
            leaseHolder = null;
            observeLease("expired");
        }
    }

    private void observeLease(String cause) {
        log.append(new LeaderLeaseChanged(log.epoch(), GroupLog.GROUP, leaseHolder, ++leaseRevision, cause));
    }

    /** Stops a primary whose lease was not renewed within ttl − margin, frozen agent or not. */
    private void watchdogs() {
        for (SimMember member : members.values()) {
            boolean overdue = now >= member.lastRenewalSent + TTL - SAFETY_MARGIN;
            if (fencing && member.hostUp && member.role == Role.PRIMARY && member.running && overdue) {
                member.running = false;
                member.holdsLease = false;
                if (member.reachesKafka(now)) {
                    report(member, StateChange.FENCED, PgState.STOPPED);
                }
            }
        }
    }

    // ---- the client and replication ----------------------------------------------------------

    private void writes() {
        List<SimMember> primaries = members.values().stream().filter(SimMember::acceptsWrites).toList();
        for (SimMember primary : primaries) {
            int owner = new ArrayList<>(members.values()).indexOf(primary);
            for (int i = 0; i < commitsPerTick; i++) {
                long commit = nextCommit++;
                primary.commits.add(commit);
                pending.add(new long[] {commit, owner});
            }
        }
        commitsPerTick = 1;
        List<long[]> still = new ArrayList<>();
        for (long[] entry : pending) {
            SimMember owner = new ArrayList<>(members.values()).get((int) entry[1]);
            if (!owner.acceptsWrites() || !owner.has(entry[0])) {
                continue; // the client sees an error; never acknowledged
            }
            if (confirmed(owner, entry[0])) {
                acked.add(entry[0]);
            } else {
                still.add(entry);
            }
        }
        pending.clear();
        pending.addAll(still);
    }

    private boolean confirmed(SimMember primary, long commit) {
        SynchronousStandbyNames ssn = primary.ssn;
        if (ssn.placeholder()) {
            return false;
        }
        if (ssn.names().isEmpty() || ssn.count() == 0) {
            return true;
        }
        int confirmations = 0;
        for (String name : ssn.names()) {
            SimMember standby = members.get(name);
            if (standby != null && standby.hostUp && standby.running && primary.name.equals(standby.upstream)
                    && standby.has(commit)) {
                confirmations++;
            }
        }
        return confirmations >= ssn.count();
    }

    private void replication() {
        for (SimMember member : members.values()) {
            SimMember upstream = member.upstream == null ? null : members.get(member.upstream);
            if (member.role != Role.REPLICA || !member.running || !member.hostUp || upstream == null
                    || !upstream.hostUp || !upstream.running || now < member.replicationStalledUntil
                    || !member.isPrefixOf(upstream)) {
                continue;
            }
            int copy = Math.min(upstream.commits.size() - member.commits.size(), 2000);
            for (int i = 0; i < copy; i++) {
                member.commits.add(upstream.commits.get(member.commits.size()));
            }
        }
    }

    // ---- agents ------------------------------------------------------------------------------

    private void agent(SimMember member) {
        if (!member.agentWorks(now)) {
            return;
        }
        if (member.executing != null && now >= member.executing.finishesAt
                && member.executing.command instanceof Command.Promote promote && promote.requireLsn() != null
                && member.lsn().compareTo(promote.requireLsn()) < 0 && now - member.executing.startedAt < 5000) {
            member.executing.finishesAt = now + TICK; // waits until it has received the shutdown checkpoint
        }
        if (member.executing != null && now >= member.executing.finishesAt) {
            SimMember.Delivery done = member.executing;
            member.executing = null;
            AgentActions.perform(this, member, done.command);
            // Agents report a fresh observation as soon as a command changed their instance.
            member.nextHeartbeat = now;
        }
        if (member.executing == null && member.reachesKafka(now) && !member.inbox.isEmpty()
                && member.inbox.peek().availableAt <= now) {
            member.executing = member.inbox.poll();
            member.executing.startedAt = now;
            member.executing.finishesAt = now + 100 + random.nextInt(200);
        }
        if (member.reachesKafka(now) && now >= member.nextHeartbeat) {
            member.nextHeartbeat = now + 1000;
            log.append(new MemberObserved(GroupLog.GROUP, member.name, incarnation(member), ++member.sequence,
                    observe(member), io.steward.core.model.Tags.NONE, GroupLog.endpoints(member.name)));
        }
    }

    Observation observe(SimMember member) {
        boolean primary = member.role == Role.PRIMARY;
        List<ReplicationPeer> peers = new ArrayList<>();
        if (primary) {
            for (SimMember other : members.values()) {
                if (member.name.equals(other.upstream) && other.hostUp && other.running && other.isPrefixOf(member)) {
                    String syncState = member.ssn.names().contains(other.name)
                            ? (member.ssn.quorum() ? "quorum" : "sync") : "async";
                    peers.add(new ReplicationPeer(other.name, "streaming", syncState, other.lsn(), other.lsn()));
                }
            }
        }
        return new Observation(member.role, member.running ? PgState.RUNNING : PgState.STOPPED, member.timeline,
                primary ? member.lsn() : null, primary ? member.lsn() : null, primary ? null : member.lsn(),
                primary ? null : member.lsn(), primary ? null : "streaming", primary ? null : member.upstream, false,
                Map.of(), peers, 7000000000000000001L, primary ? member.ssn.render() : null, null, member.configVersion, null, null);
    }

    void report(SimMember member, StateChange change, PgState state) {
        log.append(new MemberStateChanged(GroupLog.GROUP, member.name, incarnation(member), change, member.role, state,
                member.timeline, member.lsn(), change == StateChange.FOLLOWING ? member.upstream : change.name()));
    }

    void answer(SimMember member, Command command, Outcome outcome, String detail, io.steward.core.model.Lsn lsn) {
        log.append(new CommandOutcome(GroupLog.GROUP, member.name, command.id(), command.header().epoch(), outcome,
                detail, lsn));
    }

    private String incarnation(SimMember member) {
        return "inc-" + member.name + (member.incarnation == 0 ? "" : "-" + member.incarnation);
    }

    // ---- the decider -------------------------------------------------------------------------

    private void decide() {
        for (int step = 0; step < 4; step++) {
            Decision decision = decider.decide(log.state(), GroupLog.GROUP, log.now());
            if (decision.isEmpty()) {
                return;
            }
            batches.add(new int[] {log.records().size(), decision.events().size()});
            for (GroupDecision event : decision.events()) {
                checkLag(event);
                log.append(event);
                if (event instanceof CommandIssued issued) {
                    SimMember target = members.get(issued.command().member());
                    if (target != null && target.hostUp) {
                        target.inbox.add(new SimMember.Delivery(issued.command(), now + 20 + random.nextInt(60)));
                    }
                }
            }
            story.add(now + " ms: decided " + decision.reason());
        }
    }

    // ---- facts the agent actions need --------------------------------------------------------

    long now() {
        return now;
    }

    String leaseHolder() {
        return leaseHolder;
    }

    void acquireLease(SimMember member) {
        leaseHolder = member.name;
        leaseExpiry = now + TTL;
        member.holdsLease = true;
        member.lastRenewalSent = now;
        member.nextRenewal = now + TTL / 4;
        observeLease("acquired");
    }

    void releaseLease(SimMember member) {
        if (member.name.equals(leaseHolder)) {
            leaseHolder = null;
            observeLease("revoked");
        }
        member.holdsLease = false;
    }

    SimMember member(String name) {
        return members.get(name);
    }

    Mode mode() {
        return mode;
    }

    /** Called when {@code member} really becomes a writable primary. */
    void promoted(SimMember member) {
        if (mode == Mode.ASYNC) {
            return;
        }
        for (long commit : acked) {
            if (!member.has(commit)) {
                invariants.violated(Invariants.NO_LOSS, now, member.name + " promoted without acknowledged commit "
                        + commit + " (it has " + member.commits.size() + " commits)");
                return;
            }
        }
    }

    // ---- invariants --------------------------------------------------------------------------

    private void checkOneWriter() {
        List<String> writers = members.values().stream().filter(SimMember::acceptsWrites).map(m -> m.name).toList();
        if (writers.size() > 1) {
            invariants.violated(Invariants.ONE_WRITER, now, "writable: " + writers + " " + members.values());
        }
    }

    private void checkEpochs() {
        long epoch = log.state().partition(0).epoch();
        if (epoch < lastEpoch) {
            invariants.violated(Invariants.EPOCHS, now, "epoch went from " + lastEpoch + " to " + epoch);
        }
        lastEpoch = epoch;
    }

    private void checkLag(GroupDecision event) {
        if (event instanceof FailoverDecided decided && decided.kind() == FailoverKind.AUTOMATIC
                && !decided.newLeader().equals(decided.oldLeader())) {
            long limit = log.group().config().maximumLagOnFailover();
            for (Evidence evidence : decided.evidence()) {
                if (evidence.member().equals(decided.newLeader()) && evidence.lagBytes() > limit) {
                    invariants.violated(Invariants.MAX_LAG, now, decided.newLeader() + " promoted "
                            + evidence.lagBytes() + " bytes behind (limit " + limit + ")");
                }
            }
        }
    }
}
