package io.steward.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as the log delivered it: where it sits and when the broker appended it. The fold
 * consumes these; the timestamp is the only clock the core knows.
 *
 * @param partition the log partition
 * @param offset    the record's offset in its partition
 * @param timestamp the broker's append time
 * @param event     the event
 */
public record LogRecord(int partition, long offset, Instant timestamp, Event event) {

    public LogRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(event, "event");
    }
}
