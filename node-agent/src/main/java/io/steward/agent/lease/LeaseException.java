package io.steward.agent.lease;

/** etcd did not do what the lease needed (unreachable, timed out, refused). Retriable. */
public final class LeaseException extends RuntimeException {

    public LeaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
