package io.steward.events.codec;

import org.apache.avro.generic.GenericRecord;

import io.steward.core.command.Command;
import io.steward.core.event.AgentEvent;
import io.steward.core.event.CitusEvent;
import io.steward.core.event.DeciderEvent;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.events.Decoded;
import io.steward.events.Schemas;
import io.steward.events.SingleObjectCodec;

/**
 * The one place where the core's records become bytes and back: Avro single-object encoding of
 * the record's own schema (see {@link Schemas}). Decoding never throws; a record that cannot be
 * decoded, or decodes to something that breaks the core's rules, comes back as
 * {@link Decoded.Failed} with the raw bytes and the reason. Thread-safe.
 */
public final class EventCodec {

    private static final SingleObjectCodec CODEC = new SingleObjectCodec(Schemas.get());

    private EventCodec() {
    }

    /** An event of the log topic, encoded. */
    public static byte[] encode(Event event) {
        return CODEC.encode(toAvro(event));
    }

    /** A command of the commands topic, encoded. */
    public static byte[] encode(Command command) {
        return CODEC.encode(CommandMapping.toAvro(command));
    }

    /** An event of the log topic, decoded. */
    public static Decoded<Event> decodeEvent(byte[] bytes) {
        return switch (CODEC.decode(bytes)) {
            case Decoded.Failed<GenericRecord> failed -> Decoded.failed(bytes, failed.reason());
            case Decoded.Ok<GenericRecord> ok -> {
                try {
                    yield Decoded.ok(fromAvro(ok.value()));
                } catch (RuntimeException e) {
                    yield Decoded.failed(bytes, "invalid " + ok.value().getSchema().getName() + ": " + e.getMessage());
                }
            }
        };
    }

    /** A command of the commands topic, decoded. */
    public static Decoded<Command> decodeCommand(byte[] bytes) {
        return switch (CODEC.decode(bytes)) {
            case Decoded.Failed<GenericRecord> failed -> Decoded.failed(bytes, failed.reason());
            case Decoded.Ok<GenericRecord> ok -> {
                String name = ok.value().getSchema().getName();
                if (!"commands".equals(Schemas.get().topicOf(name))) {
                    yield Decoded.failed(bytes, "a " + name + " record where a command was expected");
                }
                try {
                    yield Decoded.ok(CommandMapping.fromAvro(ok.value()));
                } catch (RuntimeException e) {
                    yield Decoded.failed(bytes, "invalid " + name + ": " + e.getMessage());
                }
            }
        };
    }

    /** The Avro record for an event. */
    public static GenericRecord toAvro(Event event) {
        return switch (event) {
            case AgentEvent agentEvent -> AgentEventMapping.toAvro(agentEvent);
            case DeciderEvent decision -> DecisionMapping.toAvro(decision);
            case OperatorRequest request -> RequestMapping.toAvro(request);
            case CitusEvent citus -> CitusMapping.toAvro(citus);
        };
    }

    /** The event an Avro record of the log topic holds; throws when it is not one. */
    public static Event fromAvro(GenericRecord record) {
        String name = record.getSchema().getName();
        if (!"log".equals(Schemas.get().topicOf(name))) {
            throw new IllegalArgumentException("a " + name + " record where a log event was expected");
        }
        Event event;
        if (AgentEventMapping.NAMES.contains(name)) {
            event = AgentEventMapping.fromAvro(name, record);
        } else if (RequestMapping.NAMES.contains(name)) {
            event = RequestMapping.fromAvro(name, record);
        } else if (CitusMapping.NAMES.contains(name)) {
            event = CitusMapping.fromAvro(name, record);
        } else {
            event = DecisionMapping.fromAvro(name, record);
        }
        if (event == null) {
            throw new IllegalArgumentException("no mapping for log record " + name);
        }
        return event;
    }

    static Event decodeEventOrThrow(byte[] bytes) {
        return decodeEvent(bytes).orElseThrow();
    }

    static Command decodeCommandOrThrow(byte[] bytes) {
        return decodeCommand(bytes).orElseThrow();
    }
}
