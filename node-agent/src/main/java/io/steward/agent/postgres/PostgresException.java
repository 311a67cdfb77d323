package io.steward.agent.postgres;

/**
 * A PostgreSQL operation that did not work, classified as retriable (a later attempt may
 * succeed: a timeout, the server still starting) or permanent (a missing binary, a corrupt data
 * directory, an impossible request).
 */
public final class PostgresException extends RuntimeException {

    private final boolean retriable;

    public PostgresException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public PostgresException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
