package io.steward.events.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic's record layout: a record no consumer could decode, kept byte for byte
 * under its original key, with where it came from and why it was refused in headers. Every
 * consumer that meets a poison record writes one, so the audit shows who could not read what.
 */
public final class DeadLetters {

    /** Header: the topic the record was read from. */
    public static final String SOURCE_TOPIC = "steward.source.topic";
    /** Header: its partition, as decimal text. */
    public static final String SOURCE_PARTITION = "steward.source.partition";
    /** Header: its offset, as decimal text. */
    public static final String SOURCE_OFFSET = "steward.source.offset";
    /** Header: why it could not be decoded. */
    public static final String REASON = "steward.reason";
    /** Header: which consumer refused it ("agent pg1", "decider"). */
    public static final String CONSUMER = "steward.consumer";

    private DeadLetters() {
    }

    /** The record to write to {@link Topics#deadLetter()} for a refused record. */
    public static ProducerRecord<byte[], byte[]> of(Topics topics, String sourceTopic, int partition, long offset,
                                                    byte[] key, byte[] value, String reason, String consumer) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        headers.add(REASON, utf8(reason));
        headers.add(CONSUMER, utf8(consumer));
        return new ProducerRecord<>(topics.deadLetter(), null, key, value, headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
