package io.steward.agent.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import io.steward.core.config.DynamicConfig;
import io.steward.core.model.Lsn;

/**
 * What the agent's commands do to the local PostgreSQL instance: create its data, start and stop
 * it, promote it, point it at an upstream, rewind it. {@link PostgresController} is the one
 * implementation; the commands see only this, so the order of their steps (never give the lease up
 * before the instance stops taking writes) can be checked without a database.
 *
 * <p>Not thread-safe: the agent's action thread drives it.
 */
public interface LocalInstance {

    /** Where a standby streams from, as the agent last configured it. */
    record Upstream(String member, String host, int port, String slot) {
    }

    /** What pg_rewind did. */
    enum RewindOutcome { NOT_NEEDED, REWOUND }

    /**
     * The end of a promotion: the position after it and the new timeline; {@code alreadyPrimary}
     * when the instance was not in recovery (nothing was done).
     */
    record Promotion(Lsn lsn, int timeline, boolean alreadyPrimary) {
    }

    /** The latest checkpoint in the control file (after a clean shutdown: the shutdown checkpoint). */
    record Checkpoint(Lsn location, int timeline) {
    }

    Path dataDir();

    boolean hasData();

    boolean isRunning();

    Long systemIdentifier();

    /** Whether the data directory is set up as a standby. */
    boolean isConfiguredAsStandby();

    /** The upstream a standby was last pointed at, or null. */
    Upstream upstream();

    /** Runs initdb with {@code bootstrap.initdb}'s options. */
    void initdb();

    /** Copies the data directory from {@code host:port} with pg_basebackup, reporting progress. */
    void basebackup(String host, int port, Consumer<String> progress);

    /** Removes the data directory's contents, stopping the instance first (immediate) if it runs. */
    void wipe();

    /** Starts as a primary and waits until it accepts connections. */
    void startPrimary(DynamicConfig dynamic);

    /** Starts as a standby of {@code upstream} and waits until it accepts connections. */
    void startStandby(DynamicConfig dynamic, Upstream upstream);

    /** Points a running standby at {@code upstream} without a restart. */
    void repoint(DynamicConfig dynamic, Upstream upstream);

    /** Rewrites the configuration files for the current role and reloads. */
    void reload(DynamicConfig dynamic);

    /** Stops the instance and waits until it is gone; nothing to do when it is not running. */
    void stop(StopMode mode);

    /** Creates the replication and rewind roles a new cluster needs. */
    void createRoles();

    /** Makes a new Citus member's primary ready (nothing without Citus). */
    void setUpCitus();

    /** Promotes this standby; returns where its new timeline starts. */
    Promotion promote();

    /** How far this instance has WAL; null when it does not answer. */
    Lsn walPosition();

    /** Sets synchronous_standby_names; returns the position after which it holds. */
    Lsn setSynchronousStandbyNames(String value);

    /** Creates {@code slot} on the member at {@code host:port} unless it exists there. */
    void ensureSlot(String host, int port, String slot);

    /** Whether this standby's walreceiver streams from {@code host:port} right now. */
    boolean streamsFrom(String host, int port);

    /** Whether this running standby holds WAL that {@code host:port} does not share (pg_rewind needed). */
    boolean hasDivergedFrom(String host, int port, int localTimeline, Lsn localPosition, Duration wait);

    /** The shutdown checkpoint of a cleanly stopped instance. */
    Checkpoint latestCheckpoint();

    /** Rewinds this (stopped) instance to the history of {@code host:port}. */
    RewindOutcome rewind(String host, int port);
}
