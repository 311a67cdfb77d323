package io.steward.events.kafka;

/**
 * Kafka headers on log records. They describe where a record comes from; the event itself is
 * always the value.
 */
public final class LogHeaders {

    /**
     * On every decision record: the offset, in the record's own partition, of the last record the
     * decider had folded when it decided (decimal text). Folding the partition up to that offset and
     * deciding at that prefix's log time gives the decision again: how a past decision is verified.
     */
    public static final String BASIS = "steward.basis";

    /**
     * On every fact a decider admitted from the facts topic: its writer and where it was handed in
     * ({@code member:demo/pg1 facts-2@1234}), for the audit.
     */
    public static final String ADMITTED = "steward.admitted";

    private LogHeaders() {
    }
}
