package io.steward.testkit;

import io.steward.testkit.process.ComponentLog;

/**
 * A real component a test started: a PostgreSQL instance, an etcd node, a Kafka broker.
 *
 * <p>{@link #close()} stops it and must be safe to call more than once and on a component that
 * never started or already died.
 */
public interface Component extends AutoCloseable {

    /** A short name, unique within a test class ("pg1", "etcd", "kafka"). */
    String name();

    /** Everything the component printed. */
    ComponentLog log();

    /** Stops the component for good and releases what it holds (processes, not its data). */
    @Override
    void close();
}
