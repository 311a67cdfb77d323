package io.steward.events.kafka;

/**
 * The topics of the contract and their record keys. The prefix (default {@code steward.}) is
 * configurable so that several Steward installations can share one Kafka cluster.
 *
 * @param prefix prepended to every topic name
 */
public record Topics(String prefix) {

    public static final Topics DEFAULT = new Topics("steward.");

    /**
     * Facts, requests and decisions, written only by deciders (facts as admitted from
     * {@link #facts()}); key {@code scope/group} (control records: {@link #CONTROL_KEY}).
     */
    public String log() {
        return prefix + "log";
    }

    /**
     * Facts handed in by agents and citus-sync (reports, command outcomes, forwarded requests),
     * sealed by their writer; a decider admits them into the {@link #log()}. Key {@code scope/group},
     * partitioned as the log.
     */
    public String facts() {
        return prefix + "facts";
    }

    /** Commands to agents; key {@code scope/group}. */
    public String commands() {
        return prefix + "commands";
    }

    /** The decider's folded state per log partition; compacted; key {@code log-<partition>}. */
    public String snapshots() {
        return prefix + "snapshots";
    }

    /** Records no consumer could decode, with the reason in headers; key as received. */
    public String deadLetter() {
        return prefix + "deadletter";
    }

    /** The key of records about a partition rather than a group ({@code DeciderElected}, {@code Tick}). */
    public static final String CONTROL_KEY = "~decider";
}
