package io.steward.core.model;

/**
 * The life-cycle state of a PostgreSQL instance, with Patroni's wording (REST {@code state}) and
 * numbering (the {@code patroni_postgres_state} metric).
 */
public enum PgState {
    INITDB("initializing new cluster", 0),
    INITDB_FAILED("initdb failed", 1),
    CUSTOM_BOOTSTRAP("running custom bootstrap script", 2),
    CUSTOM_BOOTSTRAP_FAILED("custom bootstrap failed", 3),
    CREATING_REPLICA("creating replica", 4),
    RUNNING("running", 5),
    STARTING("starting", 6),
    BOOTSTRAP_STARTING("starting after custom bootstrap", 7),
    START_FAILED("start failed", 8),
    RESTARTING("restarting", 9),
    RESTART_FAILED("restart failed", 10),
    STOPPING("stopping", 11),
    STOPPED("stopped", 12),
    STOP_FAILED("stop failed", 13),
    CRASHED("crashed", 14),
    /** Rewinding with pg_rewind (Steward addition). */
    REWINDING("rewinding", 15),
    /** No data directory yet, waiting for bootstrap or clone (Steward addition). */
    UNINITIALIZED("uninitialized", 16);

    private final String patroniName;
    private final int metricValue;

    PgState(String patroniName, int metricValue) {
        this.patroniName = patroniName;
        this.metricValue = metricValue;
    }

    public String patroniName() {
        return patroniName;
    }

    public int metricValue() {
        return metricValue;
    }

    /** Whether PostgreSQL is up and answering. */
    /** The agent is creating or repairing the data directory (initdb, clone, rewind): leave it be. */
    public boolean isBeingPrepared() {
        return this == INITDB || this == CREATING_REPLICA || this == REWINDING;
    }

    public boolean isRunning() {
        return this == RUNNING;
    }
}
