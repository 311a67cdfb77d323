package io.steward.agent.commands;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.agent.postgres.LocalInstance;
import io.steward.agent.postgres.LocalInstance.RewindOutcome;
import io.steward.agent.postgres.LocalInstance.Upstream;
import io.steward.agent.postgres.PostgresException;
import io.steward.agent.postgres.StopMode;
import io.steward.core.command.Command;
import io.steward.core.config.DynamicConfig;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;
import io.steward.core.model.SynchronousStandbyNames;

/**
 * What this member does for each command, one method per command. Runs on the agent's single
 * action thread; the gate in {@link CommandGate} has already refused stale, duplicate and
 * misaddressed commands.
 */
public final class CommandActions {

    private static final Logger LOG = LoggerFactory.getLogger(CommandActions.class);
    /**
     * How long a promotion waits for the leader key to be released: a demoted primary reports
     * first and revokes its lease right after, so the promote command can arrive a moment early.
     */
    private static final Duration RELEASE_PATIENCE = Duration.ofSeconds(2);

    /** What the actions need from the agent around them. */
    public interface Member {
        LocalInstance postgres();

        DynamicConfig dynamic();

        void dynamic(DynamicConfig config);

        /**
         * Takes the leader lease; false when another member holds it, and still does after
         * {@code patience} (a member that has just been demoted releases it right after reporting).
         */
        boolean acquireLease(Duration patience);

        /** Releases the leader lease (revoke), disarming both fences. */
        void releaseLease();

        /** The member currently holding the leader key, for messages. */
        String leaseHolder();

        /** Whether the member holds a valid lease now. */
        boolean holdsLease();

        /** Stops PostgreSQL at once (no more writes) and forgets the lease: it was lost. */
        void fence(String reason);

        void expectDown(boolean down);

        /** A fresh look at the instance. */
        Observation observe();

        /** Reports a change of state, with a fresh look at the instance for its role, state and timeline. */
        void stateChanged(StateChange change, Lsn lsn, String detail);

        /** Reports a change of state whose role, state and timeline the caller already knows. */
        void stateChanged(StateChange change, Role role, PgState state, int timeline, Lsn lsn, String detail);

        void clusterInitialized(long systemIdentifier);

        /** Re-reads the local configuration (for reload). */
        void reloadLocalConfiguration();

        /**
         * What the member is busy with (initdb, creating a replica, rewinding), reported instead of
         * what the half-made data directory would suggest; null when done.
         */
        void busyWith(io.steward.core.model.PgState activity);
    }

    /** The outcome of a command: its kind, a detail for the log, and a position when it has one. */
    public record Result(Outcome outcome, String detail, Lsn lsn) {
        static Result done(String detail) {
            return new Result(Outcome.ACKNOWLEDGED, detail, null);
        }

        static Result done(String detail, Lsn lsn) {
            return new Result(Outcome.ACKNOWLEDGED, detail, lsn);
        }

        static Result failed(String detail) {
            return new Result(Outcome.FAILED, detail, null);
        }
    }

    private final Member member;
    private final boolean useSlots;
    private final boolean removeOnRewindFailure;

    public CommandActions(Member member, boolean removeOnRewindFailure) {
        this.member = member;
        this.useSlots = true;
        this.removeOnRewindFailure = removeOnRewindFailure;
    }

    public Result execute(Command command) {
        return switch (command) {
            case Command.Bootstrap c -> bootstrap(c);
            case Command.Clone c -> copy(c.sourceEndpoints().host(), c.sourceEndpoints().port(),
                    new Upstream(c.leader(), c.leaderEndpoints().host(), c.leaderEndpoints().port(), c.slot()), false);
            case Command.Reinitialize c -> copy(c.sourceEndpoints().host(), c.sourceEndpoints().port(),
                    new Upstream(c.leader(), c.leaderEndpoints().host(), c.leaderEndpoints().port(), c.slot()), true);
            case Command.Follow c -> follow(new Upstream(c.upstream(), c.upstreamEndpoints().host(),
                    c.upstreamEndpoints().port(), c.slot()), c.rewindIfDiverged());
            case Command.Rewind c -> follow(new Upstream(c.source(), c.sourceEndpoints().host(),
                    c.sourceEndpoints().port(), c.slot()), true);
            case Command.Promote c -> promote(c.requireLsn());
            case Command.Demote c -> demote(c.mode());
            case Command.Restart c -> restart(c.timeoutSeconds());
            case Command.Reload c -> {
                member.reloadLocalConfiguration();
                reloadIfRunning();
                yield Result.done("configuration reloaded");
            }
            case Command.ApplyConfiguration c -> {
                member.dynamic(DynamicConfig.parse(c.version(), c.config()).config());
                reloadIfRunning();
                yield Result.done("configuration version " + c.version() + " applied");
            }
            case Command.SetSynchronousStandbys c -> synchronousStandbys(c);
        };
    }

    /**
     * Takes the leader lease first (a member that cannot lead creates nothing), then initdb, start,
     * roles. When anything fails after initdb the new data directory is removed again, as Patroni
     * does, so the next attempt (here or on another member) starts clean.
     */
    private Result bootstrap(Command.Bootstrap command) {
        LocalInstance postgres = postgres();
        if (!command.adoptExistingData() && postgres.hasData()) {
            return Result.failed("the data directory " + postgres.dataDir() + " is not empty");
        }
        if (!member.acquireLease(Duration.ZERO)) {
            return Result.failed("the leader lease is held by " + member.leaseHolder());
        }
        boolean created = false;
        try {
            if (!command.adoptExistingData()) {
                member.stateChanged(StateChange.OTHER, null, "initdb");
                member.busyWith(io.steward.core.model.PgState.INITDB);
                try {
                    postgres.initdb();
                    created = true;
                } finally {
                    member.busyWith(null);
                }
            }
            startPrimaryUnderLease();
            member.expectDown(false);
            if (!command.adoptExistingData()) {
                postgres.createRoles();
            }
            postgres.setUpCitus();
        } catch (RuntimeException e) {
            member.expectDown(true);
            // PostgreSQL may run as primary by now: it stops before the lease goes, never after
            postgres.stop(StopMode.IMMEDIATE);
            if (created) {
                LOG.warn("bootstrap failed ({}); removing the new data directory", e.getMessage());
                postgres.wipe();
            }
            member.releaseLease();
            throw e;
        }
        long systemIdentifier = postgres.systemIdentifier();
        member.clusterInitialized(systemIdentifier);
        member.stateChanged(StateChange.BOOTSTRAPPED, null, command.adoptExistingData() ? "existing data adopted"
                : "new cluster initialized");
        return Result.done("cluster " + Long.toUnsignedString(systemIdentifier) + " initialized");
    }

    /** Clone (or reinitialize): copy the data from a source, then stream from the leader. */
    private Result copy(String sourceHost, int sourcePort, Upstream upstream, boolean wipeFirst) {
        LocalInstance postgres = postgres();
        if (!wipeFirst && postgres.hasData()) {
            return Result.failed("the data directory " + postgres.dataDir() + " is not empty; reinitialize it instead");
        }
        member.busyWith(io.steward.core.model.PgState.CREATING_REPLICA);
        try {
            if (wipeFirst) {
                member.expectDown(true);
                postgres.wipe();
            }
            ensureSlot(upstream);
            member.stateChanged(StateChange.OTHER, null, "creating replica from " + sourceHost + ":" + sourcePort);
            try {
                postgres.basebackup(sourceHost, sourcePort, line -> { });
            } catch (RuntimeException e) {
                LOG.warn("pg_basebackup failed ({}); removing the partial copy", e.getMessage());
                postgres.wipe();
                throw e;
            }
        } finally {
            member.busyWith(null);
        }
        postgres.startStandby(member.dynamic(), upstream);
        member.expectDown(false);
        member.stateChanged(wipeFirst ? StateChange.REINITIALIZED : StateChange.CLONED, null,
                "copied from " + sourceHost + ":" + sourcePort);
        member.stateChanged(StateChange.FOLLOWING, null, upstream.member());
        return Result.done("streaming from " + upstream.member());
    }

    private Result follow(Upstream upstream, boolean rewindIfDiverged) {
        LocalInstance postgres = postgres();
        if (!postgres.isConfiguredAsStandby() && postgres.isRunning()) {
            // a primary told to follow: it stops taking writes first, and gives the key up after
            member.expectDown(true);
            postgres.stop(StopMode.FAST);
        }
        // whatever lease is left (one whose deadline passed too): a standby holds none
        member.releaseLease();
        ensureSlot(upstream);
        Observation now = member.observe();
        if (postgres.isRunning() && postgres.isConfiguredAsStandby() && !postgres.hasDivergedFrom(upstream.host(),
                upstream.port(), now.timeline(), Lsn.max(now.receiveLsn(), now.replayLsn()), Duration.ofSeconds(10))) {
            postgres.repoint(member.dynamic(), upstream);
            if (awaitStreaming(upstream, Duration.ofSeconds(5))) {
                member.stateChanged(StateChange.FOLLOWING, null, upstream.member());
                return Result.done("streaming from " + upstream.member());
            }
            LOG.info("not streaming from {} after a reload; restarting, with pg_rewind if needed", upstream.member());
        }
        boolean wasPrimary = !postgres.isConfiguredAsStandby();
        member.expectDown(true);
        postgres.stop(StopMode.FAST);
        if (rewindIfDiverged && postgres.hasData()) {
            member.busyWith(io.steward.core.model.PgState.REWINDING);
            try {
                RewindOutcome outcome = postgres.rewind(upstream.host(), upstream.port());
                if (outcome == RewindOutcome.REWOUND) {
                    member.stateChanged(StateChange.REWOUND, null, "rewound to " + upstream.member());
                }
            } catch (PostgresException e) {
                if (!removeOnRewindFailure) {
                    return Result.failed("pg_rewind failed (" + e.getMessage() + "); reinitialize this member, or set "
                            + "postgresql.remove_data_directory_on_rewind_failure");
                }
                LOG.warn("pg_rewind failed; cloning again as configured: {}", e.getMessage());
                return copy(upstream.host(), upstream.port(), upstream, true);
            } finally {
                member.busyWith(null);
            }
        } else if (wasPrimary && postgres.hasData()) {
            LOG.info("a former primary follows {} without pg_rewind", upstream.member());
        }
        postgres.startStandby(member.dynamic(), upstream);
        member.expectDown(false);
        member.stateChanged(StateChange.FOLLOWING, null, upstream.member());
        return Result.done("streaming from " + upstream.member());
    }

    /**
     * Promotes this standby under the leader lease. The path is kept short, as clients wait
     * through it: the kept connection for every statement, and the report built from what the
     * promotion returned rather than from a full look at the instance.
     */
    private Result promote(Lsn requireLsn) {
        LocalInstance postgres = postgres();
        Steps steps = new Steps();
        if (requireLsn != null && !awaitReceived(requireLsn, Duration.ofSeconds(10))) {
            return Result.failed("did not receive " + requireLsn + " within 10 s; not promoted");
        }
        steps.done("received");
        if (!member.acquireLease(RELEASE_PATIENCE)) {
            return Result.failed("the leader lease is held by " + member.leaseHolder());
        }
        steps.done("lease");
        if (!postgres.isRunning()) {
            if (postgres.isConfiguredAsStandby()) {
                postgres.startStandby(member.dynamic(), postgres.upstream());
            } else {
                startPrimaryUnderLease();
                member.expectDown(false);
                member.stateChanged(StateChange.PROMOTED, null, "started as primary in place");
                return Result.done("started as primary", member.observe().writeLsn());
            }
        }
        // The lease may have been lost while PostgreSQL started (the fence then stopped it):
        // promote only under a valid lease, and check again once writable.
        if (!member.holdsLease()) {
            return Result.failed("the leader lease was lost before the promotion");
        }
        LocalInstance.Promotion promotion;
        try {
            promotion = postgres.promote();
        } catch (RuntimeException e) {
            // The promotion may have been signalled (a wait or the checkpoint after it timed out):
            // the instance may accept writes now or in a moment. It stops before the lease goes.
            LOG.warn("the promotion failed ({}); stopping PostgreSQL before releasing the lease", e.getMessage());
            member.expectDown(true);
            postgres.stop(StopMode.IMMEDIATE);
            member.releaseLease();
            throw e;
        }
        if (promotion.alreadyPrimary()) {
            return Result.done("already the primary", promotion.lsn());
        }
        steps.done("promotion");
        if (!member.holdsLease()) {
            return lostDuringPromotion();
        }
        member.expectDown(false);
        setSynchronousStandbysAfterPromotion();
        steps.done("synchronous standbys");
        member.stateChanged(StateChange.PROMOTED, Role.PRIMARY, PgState.RUNNING, promotion.timeline(), promotion.lsn(),
                "promoted");
        steps.done("reported");
        LOG.info("promoted: {}", steps);
        return Result.done("promoted", promotion.lsn());
    }

    /** How long each step of an action took, for the log. */
    private static final class Steps {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void done(String step) {
            long now = System.nanoTime();
            text.append(text.isEmpty() ? "" : ", ").append(step).append(' ').append((now - last) / 1_000_000).append(" ms");
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /**
     * Starts PostgreSQL as primary only under a valid lease (it may have been lost during initdb or
     * a slow start), and stops it at once if the lease was lost while it started.
     */
    private void startPrimaryUnderLease() {
        if (!member.holdsLease()) {
            throw new IllegalStateException("the leader lease was lost before PostgreSQL could start as primary");
        }
        try {
            postgres().startPrimary(member.dynamic());
        } catch (RuntimeException e) {
            // it may still be starting (a start that timed out), and the lease may be lost meanwhile
            // (the fence found nothing to stop yet): it stops, whatever the lease says now
            postgres().stop(StopMode.IMMEDIATE);
            throw e;
        }
        if (!member.holdsLease()) {
            member.fence("the leader lease was lost while PostgreSQL started as primary");
            throw new IllegalStateException("the leader lease was lost while PostgreSQL started as primary; stopped it");
        }
    }

    /** Writable without a lease: stop at once, before anyone else can take the leader key. */
    private Result lostDuringPromotion() {
        member.fence("the leader lease was lost during the promotion");
        return Result.failed("the leader lease was lost during the promotion; PostgreSQL stopped");
    }

    /** Strict synchronous mode: commits wait until the decider names standbys; otherwise they go on. */
    private void setSynchronousStandbysAfterPromotion() {
        DynamicConfig dynamic = member.dynamic();
        SynchronousStandbyNames names = dynamic.synchronousMode().isSynchronous() && dynamic.synchronousModeStrict()
                ? new SynchronousStandbyNames(dynamic.synchronousMode() == DynamicConfig.SynchronousMode.QUORUM, 1,
                java.util.List.of(), true)
                : SynchronousStandbyNames.NONE;
        postgres().setSynchronousStandbyNames(names.render());
    }

    private Result demote(Command.DemoteMode mode) {
        LocalInstance postgres = postgres();
        member.expectDown(true);
        Steps steps = new Steps();
        postgres.stop(mode == Command.DemoteMode.GRACEFUL ? StopMode.FAST : StopMode.IMMEDIATE);
        steps.done("shutdown");
        LocalInstance.Checkpoint checkpoint = postgres.hasData() ? postgres.latestCheckpoint()
                : new LocalInstance.Checkpoint(null, 0);
        steps.done("checkpoint read");
        // Reported before the lease is revoked, so that the report and the revocation travel at
        // once; the candidate waits for the key (RELEASE_PATIENCE) should it come first.
        Lsn shutdownCheckpoint = mode == Command.DemoteMode.GRACEFUL ? checkpoint.location() : null;
        member.stateChanged(StateChange.DEMOTED, Role.PRIMARY, PgState.STOPPED, checkpoint.timeline(),
                checkpoint.location(), mode == Command.DemoteMode.GRACEFUL ? "shut down cleanly" : "stopped immediately");
        steps.done("reported");
        member.releaseLease();
        steps.done("lease released");
        LOG.info("demoted: {}", steps);
        return Result.done("demoted (" + mode.name().toLowerCase() + ")", shutdownCheckpoint);
    }

    private Result restart(Integer timeoutSeconds) {
        LocalInstance postgres = postgres();
        boolean standby = postgres.isConfiguredAsStandby();
        if (!standby && !member.holdsLease()) {
            return Result.failed("a primary restarts only while it holds the leader lease");
        }
        member.expectDown(true);
        postgres.stop(StopMode.FAST);
        if (standby) {
            postgres.startStandby(member.dynamic(), postgres.upstream());
        } else {
            startPrimaryUnderLease();
        }
        member.expectDown(false);
        member.stateChanged(StateChange.STARTED, null, "restarted");
        return Result.done("restarted");
    }

    private Result synchronousStandbys(Command.SetSynchronousStandbys command) {
        if (!member.observe().isRunningPrimary()) {
            return Result.failed("not a running primary");
        }
        String value = new SynchronousStandbyNames(command.quorum(), command.count(), command.standbys(),
                command.placeholder()).render();
        Lsn barrier = postgres().setSynchronousStandbyNames(value);
        return Result.done("synchronous_standby_names = '" + value + "'", barrier);
    }

    private void reloadIfRunning() {
        if (postgres().isRunning()) {
            postgres().reload(member.dynamic());
        }
    }

    private void ensureSlot(Upstream upstream) {
        if (!useSlots || !member.dynamic().useSlots() || upstream.slot() == null) {
            return;
        }
        PostgresException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                postgres().ensureSlot(upstream.host(), upstream.port(), upstream.slot());
                return;
            } catch (PostgresException e) {
                last = e;
                sleep(250);
            }
        }
        LOG.warn("streaming from {} without a slot: {}", upstream.member(), last == null ? "" : last.getMessage());
    }

    private boolean awaitStreaming(Upstream upstream, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (postgres().streamsFrom(upstream.host(), upstream.port())) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    private boolean awaitReceived(Lsn required, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Lsn position = postgres().walPosition();
            if (position != null && position.isAtLeast(required)) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    private LocalInstance postgres() {
        return member.postgres();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
