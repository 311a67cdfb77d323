package io.steward.core.state;

import java.time.Instant;

/**
 * The log partition's own bookkeeping.
 *
 * @param partition the partition number
 * @param epoch     the highest decider epoch elected in this partition; decisions with a lower epoch are ignored
 * @param position  the offset of the last record folded; -1 before any
 * @param clock     the log time: the latest broker timestamp folded; {@link Instant#EPOCH} before any
 * @param ignored   how many records were ignored (stale epoch), for the audit
 */
public record PartitionState(int partition, long epoch, long position, Instant clock, long ignored) {

    public static PartitionState initial(int partition) {
        return new PartitionState(partition, 0, -1, Instant.EPOCH, 0);
    }

    /** After folding a record at {@code offset} stamped {@code timestamp}; the clock never goes back. */
    public PartitionState advanced(long offset, Instant timestamp) {
        Instant newClock = timestamp.isAfter(clock) ? timestamp : clock;
        return new PartitionState(partition, epoch, offset, newClock, ignored);
    }

    public PartitionState withEpoch(long newEpoch) {
        return new PartitionState(partition, newEpoch, position, clock, ignored);
    }

    public PartitionState withIgnoredRecord() {
        return new PartitionState(partition, epoch, position, clock, ignored + 1);
    }
}
