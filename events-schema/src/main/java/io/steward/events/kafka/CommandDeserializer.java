package io.steward.events.kafka;

import org.apache.kafka.common.serialization.Deserializer;

import io.steward.core.command.Command;
import io.steward.events.Decoded;
import io.steward.events.codec.EventCodec;

/** Kafka deserializer for the commands topic's values; never throws (see {@link EventDeserializer}). */
public final class CommandDeserializer implements Deserializer<Decoded<Command>> {

    @Override
    public Decoded<Command> deserialize(String topic, byte[] data) {
        return data == null ? Decoded.failed(null, "empty record (tombstone) on " + topic) : EventCodec.decodeCommand(data);
    }
}
