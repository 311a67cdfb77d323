package io.steward.decider.loop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.steward.core.command.Command;
import io.steward.core.event.DeciderEvent.CommandIssued;
import io.steward.core.event.DeciderEvent.GroupDecision;
import io.steward.core.event.DeciderEvent.PartitionControl;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.LogHeaders;
import io.steward.events.kafka.Topics;

/**
 * What the leader writes in its next transaction, in order: decisions to the log (each with the
 * log position it was based on, so the decision can be recomputed from the log alone), the
 * commands they issue, facts admitted from the facts topic, control records, dead letters and
 * snapshots.
 *
 * <p>Not thread-safe: filled and drained by the loop's thread.
 */
final class Outbox {

    private final Topics topics;
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

    Outbox(Topics topics) {
        this.topics = topics;
    }

    /** A group decision based on the partition's state after {@code basis}; a command goes out with its record. */
    void decision(GroupDecision decision, long basis) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(LogHeaders.BASIS, Long.toString(basis).getBytes(StandardCharsets.UTF_8));
        byte[] key = key(decision.group().key());
        records.add(new ProducerRecord<>(topics.log(), null, key, EventCodec.encode(decision), headers));
        if (decision instanceof CommandIssued issued) {
            command(issued.command());
        }
    }

    private void command(Command command) {
        records.add(new ProducerRecord<>(topics.commands(), key(command.header().group().key()),
                EventCodec.encode(command)));
    }

    /** A record about the partition rather than a group ({@code DeciderElected}, {@code Tick}). */
    void control(int partition, PartitionControl control) {
        records.add(new ProducerRecord<>(topics.log(), partition, key(Topics.CONTROL_KEY), EventCodec.encode(control)));
    }

    /**
     * A fact admitted from the facts topic, copied as it is into the log: keyed by its group, so it
     * lands in the partition of that group's decisions.
     */
    void admitted(byte[] key, byte[] value, String origin) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(LogHeaders.ADMITTED, origin.getBytes(StandardCharsets.UTF_8));
        records.add(new ProducerRecord<>(topics.log(), null, key, value, headers));
    }

    void add(ProducerRecord<byte[], byte[]> record) {
        records.add(record);
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    int size() {
        return records.size();
    }

    /** Everything queued, and an empty outbox. */
    List<ProducerRecord<byte[], byte[]>> drain() {
        List<ProducerRecord<byte[], byte[]>> drained = List.copyOf(records);
        records.clear();
        return drained;
    }

    /** Forgets what was queued (the transaction was not written). */
    void clear() {
        records.clear();
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
