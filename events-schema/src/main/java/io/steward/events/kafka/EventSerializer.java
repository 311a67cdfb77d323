package io.steward.events.kafka;

import org.apache.kafka.common.serialization.Serializer;

import io.steward.core.event.Event;
import io.steward.events.codec.EventCodec;

/** Kafka serializer for the log topic's values. */
public final class EventSerializer implements Serializer<Event> {

    @Override
    public byte[] serialize(String topic, Event event) {
        return event == null ? null : EventCodec.encode(event);
    }
}
