package io.steward.testkit.postgres;

import io.steward.testkit.process.Signal;

/** PostgreSQL's shutdown modes, each the signal the postmaster understands. */
public enum StopMode {
    /** Waits for clients to disconnect (SIGTERM). */
    SMART(Signal.TERM),
    /** Disconnects clients, writes a shutdown checkpoint (SIGINT). */
    FAST(Signal.INT),
    /** Quits at once, crash recovery at next start (SIGQUIT). */
    IMMEDIATE(Signal.QUIT);

    private final Signal signal;

    StopMode(Signal signal) {
        this.signal = signal;
    }

    Signal signal() {
        return signal;
    }
}
