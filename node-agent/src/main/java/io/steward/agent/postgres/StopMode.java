package io.steward.agent.postgres;

/** PostgreSQL's shutdown modes, each the signal the postmaster understands. */
public enum StopMode {
    /** Waits for clients to disconnect (SIGTERM). */
    SMART("TERM"),
    /** Disconnects clients and writes a shutdown checkpoint (SIGINT). */
    FAST("INT"),
    /** Quits at once; crash recovery at the next start (SIGQUIT). */
    IMMEDIATE("QUIT");

    private final String signal;

    StopMode(String signal) {
        this.signal = signal;
    }

    String signal() {
        return signal;
    }
}
