package io.steward.events.kafka;

import org.apache.kafka.common.serialization.Deserializer;

import io.steward.core.event.Event;
import io.steward.events.Decoded;
import io.steward.events.codec.EventCodec;

/**
 * Kafka deserializer for the log topic's values. It never throws: a poison record becomes
 * {@link Decoded.Failed} with its bytes and the reason, for the consumer to dead-letter.
 */
public final class EventDeserializer implements Deserializer<Decoded<Event>> {

    @Override
    public Decoded<Event> deserialize(String topic, byte[] data) {
        return data == null ? Decoded.failed(null, "empty record (tombstone) on " + topic) : EventCodec.decodeEvent(data);
    }
}
