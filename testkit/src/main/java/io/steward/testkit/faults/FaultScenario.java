package io.steward.testkit.faults;

import java.time.Duration;

/**
 * The fault matrix: every fault Steward must survive, what it does to a group on separate hosts,
 * how it is undone, and what Steward promises for it. The same scenarios run once in the tests
 * ({@code FaultMatrixIT}) and many times in {@code scripts/bench-faults.sh}.
 *
 * <p>Whatever the fault, every run checks the same: no interval in which two members accept writes
 * (the independent {@link WriteProber}), no acknowledged write lost in synchronous mode (the
 * {@code Writer}), and the group back to one primary with streaming replicas after the fault is
 * undone. {@link #promisesNoFailover()} says where a failover would be one that nothing called for.
 */
public enum FaultScenario {

    PRIMARY_HOST_LOST("primary host lost", "the primary's agent, PostgreSQL and watchdog killed (SIGKILL); "
            + "its agent started again after the hold", false, FaultCluster::killPrimaryHost),
    PRIMARY_POSTGRES_KILLED("primary PostgreSQL killed", "the primary's postmaster killed (SIGKILL), its "
            + "agent running: restarted in place", true, FaultCluster::killPrimaryPostgres),
    PRIMARY_AGENT_KILLED("primary agent killed", "the primary's agent killed (SIGKILL); its watchdog stops "
            + "PostgreSQL at the fencing deadline; the agent started again after the hold", false,
            FaultCluster::killPrimaryAgent),
    PRIMARY_AGENT_FROZEN("primary agent frozen", "the primary's agent stopped (SIGSTOP) for the hold, then "
            + "thawed: its watchdog stops PostgreSQL at the fencing deadline", false, FaultCluster::freezePrimaryAgent),
    PRIMARY_CUT_FROM_ETCD("primary cut from etcd", "every packet between the primary's host and etcd's dropped "
            + "for the hold: the primary fences itself before its lease can expire", false,
            cluster -> cluster.cutPrimaryFrom("etcd")),
    PRIMARY_CUT_FROM_KAFKA("primary cut from Kafka", "every packet between the primary's host and the broker "
            + "dropped for the hold: it keeps its lease and goes on taking writes", true,
            cluster -> cluster.cutPrimaryFrom("kafka")),
    PRIMARY_ISOLATED("primary cut from everything", "the primary's host cut from every other host (clients "
            + "still reach it) for the hold", false, FaultCluster::isolatePrimary),
    LEADER_KEY_DELETED("leader key deleted", "the group's leader key deleted in etcd (etcdctl del): the primary "
            + "puts it back on its lease", true, FaultCluster::deleteLeaderKey),
    REPLICA_ISOLATED("a replica cut off", "a replica's host cut from every other host for the hold", true,
            FaultCluster::isolateReplica),
    DECIDER_CUT_FROM_KAFKA("leading decider cut from Kafka", "the leading decider's host cut from the broker for "
            + "the hold: it cannot write, resigns, and the standby decider takes over", true,
            cluster -> cluster.cutLeadingDeciderFrom("kafka")),
    DECIDER_CUT_FROM_ETCD("leading decider cut from etcd", "the leading decider's host cut from etcd for the "
            + "hold: it loses its election lease, and the standby decider takes over", true,
            cluster -> cluster.cutLeadingDeciderFrom("etcd")),
    DECIDER_KILLED_MID_FAILOVER("decider killed mid-failover", "the primary's host killed, and the leading "
            + "decider killed (SIGKILL) as soon as it has decided the failover: the standby decider finishes it",
            false, FaultCluster::killDeciderMidFailover),
    BROKER_FROZEN("broker frozen", "the Kafka broker stopped (SIGSTOP) for the hold, then thawed", true,
            FaultCluster::freezeBroker),
    ETCD_FROZEN("etcd frozen", "etcd stopped (SIGSTOP) for the hold, then thawed: every primary fences itself, "
            + "and the group fails over once etcd is back (until failsafe mode)", false, FaultCluster::freezeEtcd);

    /** How long a fault is held before it is undone, in the fast profile (ttl 2 s). */
    public static final Duration HOLD = Duration.ofSeconds(8);

    /** What a scenario does; returns how to undo it. */
    @FunctionalInterface
    public interface Injection {
        Undo inject(FaultCluster cluster);
    }

    /** Undoes a fault: thaws, heals, starts again what was killed. */
    @FunctionalInterface
    public interface Undo {
        void undo();
    }

    private final String title;
    private final String description;
    private final boolean noFailover;
    private final Injection injection;

    FaultScenario(String title, String description, boolean noFailover, Injection injection) {
        this.title = title;
        this.description = description;
        this.noFailover = noFailover;
        this.injection = injection;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** Whether Steward promises that the primary stays: any failover is one nothing called for. */
    public boolean promisesNoFailover() {
        return noFailover;
    }

    Undo inject(FaultCluster cluster) {
        return injection.inject(cluster);
    }
}
