package io.steward.core.model;

/** What a PostgreSQL instance is, as its agent sees it. */
public enum Role {
    /** Accepts writes (not in recovery). */
    PRIMARY("primary"),
    /** A standby in recovery, streaming or replaying archived WAL. */
    REPLICA("replica"),
    /** No data directory yet, or not started since the agent began. */
    UNINITIALIZED("uninitialized"),
    /** The agent cannot tell (PostgreSQL not answering). */
    UNKNOWN("unknown");

    private final String patroniName;

    Role(String patroniName) {
        this.patroniName = patroniName;
    }

    /** The word Patroni's REST API and patronictl use. */
    public String patroniName() {
        return patroniName;
    }
}
