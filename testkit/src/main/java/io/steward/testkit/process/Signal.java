package io.steward.testkit.process;

/** The POSIX signals the test kit sends to components. */
public enum Signal {
    /** Polite stop; for PostgreSQL a "smart" shutdown. */
    TERM,
    /** For PostgreSQL a "fast" shutdown. */
    INT,
    /** For PostgreSQL an "immediate" shutdown. */
    QUIT,
    /** Death without any chance to react. */
    KILL,
    /** Freezes the process: it keeps its sockets but does nothing. */
    STOP,
    /** Thaws a frozen process. */
    CONT,
    /** Reload. */
    HUP
}
