package io.steward.core.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.steward.core.command.Command;
import io.steward.core.model.Lsn;
import io.steward.core.model.Role;
import io.steward.core.model.SynchronousStandbyNames;

/**
 * One simulated member: its PostgreSQL (a history of commit ids, so data loss is exact), its agent,
 * and the fencing watchdog that stops a primary whose lease could not be renewed in time even when
 * the agent is frozen.
 */
final class SimMember {

    static final long BASE = 0x5000000L;
    static final long COMMIT_BYTES = 128;

    final String name;

    // PostgreSQL
    final List<Long> commits = new ArrayList<>();
    boolean running = true;
    Role role;
    int timeline = 1;
    String upstream;
    SynchronousStandbyNames ssn = SynchronousStandbyNames.NONE;

    // agent
    boolean hostUp = true;
    long agentFrozenUntil;
    long etcdCutUntil;
    long kafkaCutUntil;
    long replicationStalledUntil;
    long incarnation;
    long sequence;
    long nextHeartbeat;
    long maxEpochSeen;
    long configVersion = 1;
    final Deque<Delivery> inbox = new ArrayDeque<>();
    Delivery executing;

    // leader lease as the agent knows it
    boolean holdsLease;
    long lastRenewalSent;
    long nextRenewal;

    SimMember(String name, Role role) {
        this.name = name;
        this.role = role;
    }

    /** A command waiting in the agent's queue, and when it finishes once started. */
    static final class Delivery {
        final Command command;
        final long availableAt;
        long startedAt = -1;
        long finishesAt = -1;

        Delivery(Command command, long availableAt) {
            this.command = command;
            this.availableAt = availableAt;
        }
    }

    Lsn lsn() {
        return new Lsn(BASE + commits.size() * COMMIT_BYTES);
    }

    boolean acceptsWrites() {
        return hostUp && running && role == Role.PRIMARY;
    }

    boolean agentWorks(long now) {
        return hostUp && now >= agentFrozenUntil;
    }

    boolean reachesKafka(long now) {
        return agentWorks(now) && now >= kafkaCutUntil;
    }

    boolean reachesEtcd(long now) {
        return agentWorks(now) && now >= etcdCutUntil;
    }

    boolean has(long commit) {
        return commits.contains(commit);
    }

    /** Whether this member's history is a prefix of {@code other}'s. */
    boolean isPrefixOf(SimMember other) {
        if (commits.size() > other.commits.size()) {
            return false;
        }
        for (int i = 0; i < commits.size(); i++) {
            if (!commits.get(i).equals(other.commits.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Drops everything after the common prefix with {@code other} (pg_rewind). */
    void rewindTo(SimMember other) {
        int common = 0;
        while (common < commits.size() && common < other.commits.size()
                && commits.get(common).equals(other.commits.get(common))) {
            common++;
        }
        commits.subList(common, commits.size()).clear();
    }

    @Override
    public String toString() {
        return name + "[" + (hostUp ? "" : "host down, ") + (running ? role : "stopped " + role) + " tl" + timeline
                + " " + lsn() + (upstream == null ? "" : " from " + upstream) + (holdsLease ? " lease" : "") + "]";
    }
}
