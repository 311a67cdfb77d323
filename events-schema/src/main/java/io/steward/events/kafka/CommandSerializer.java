package io.steward.events.kafka;

import org.apache.kafka.common.serialization.Serializer;

import io.steward.core.command.Command;
import io.steward.events.codec.EventCodec;

/** Kafka serializer for the commands topic's values. */
public final class CommandSerializer implements Serializer<Command> {

    @Override
    public byte[] serialize(String topic, Command command) {
        return command == null ? null : EventCodec.encode(command);
    }
}
