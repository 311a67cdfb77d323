package io.steward.events.snapshot;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.Converter;

import io.steward.core.command.Command;
import io.steward.core.config.ConfigTree;
import io.steward.core.config.DynamicConfig;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.core.model.GroupId;
import io.steward.core.model.Lsn;
import io.steward.core.state.Transition;
import io.steward.events.codec.EventCodec;

/**
 * How the core's values that are not plain records look in snapshot JSON. The core stays free of
 * Jackson, so everything is said here, from the outside: each such type is stored as a simpler
 * value and rebuilt from it on reading.
 *
 * <ul>
 *   <li>{@link Command} and {@link OperatorRequest}: their Avro single-object bytes (base64), through
 *       {@link EventCodec}, so the contract's own encoding is the only mapping of those many records,
 *       and its schema evolution applies to snapshots too.</li>
 *   <li>{@link ConfigTree}: its map form ({@link ConfigTree#toMap()}, rebuilt by {@link ConfigTree#of}),
 *       where a deleted key is a JSON null.</li>
 *   <li>{@link DynamicConfig}: version and tree only; the typed fields are derived again by
 *       {@link DynamicConfig#parse}, the function the fold itself builds them with.</li>
 *   <li>{@link Instant}: ISO-8601 text, which keeps nanoseconds; {@link Lsn}: its number;
 *       {@link GroupId}: its record key {@code scope/group}.</li>
 *   <li>{@link Transition}: a {@code "step"} property names the record, demotion or promotion.</li>
 * </ul>
 *
 * <p>Every other record is written through its components, as Jackson does for records.
 *
 * <p>Round trips are exact, with one bound: a command or request is exactly what the log can carry,
 * since it goes through the log's own encoding (request times such as {@code scheduledAt} at
 * millisecond precision). A folded state holds only records read from the log, so it is not bound.
 */
final class SnapshotModule extends SimpleModule {

    SnapshotModule() {
        super("steward-snapshot");
        storeAs(Command.class, byte[].class, EventCodec::encode, bytes -> EventCodec.decodeCommand(bytes).orElseThrow());
        storeAs(OperatorRequest.class, byte[].class, EventCodec::encode, SnapshotModule::request);
        storeAs(ConfigTree.class, Map.class, ConfigTree::toMap, SnapshotModule::tree);
        storeAs(DynamicConfig.class, StoredConfig.class, config -> new StoredConfig(config.version(), config.tree()),
                stored -> DynamicConfig.parse(stored.version(), stored.tree()).config());
        storeAs(Instant.class, String.class, Instant::toString, Instant::parse);
        storeAs(Lsn.class, Long.class, Lsn::value, Lsn::new);
        storeAs(GroupId.class, String.class, GroupId::key, GroupId::parse);
        setMixInAnnotation(Transition.class, TransitionMixIn.class);
    }

    /** What a {@link DynamicConfig} is made from. */
    record StoredConfig(long version, ConfigTree tree) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "step")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Transition.Demotion.class, name = "demotion"),
            @JsonSubTypes.Type(value = Transition.Promotion.class, name = "promotion")})
    private interface TransitionMixIn {
    }

    /** Writes {@code type} as the {@code stored} value {@code write} makes of it, and reads it back with {@code read}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T, S> void storeAs(Class<T> type, Class<S> stored, Function<T, S> write, Function<S, T> read) {
        addSerializer(type, new StdDelegatingSerializer(new FunctionConverter<>(type, stored, write)));
        addDeserializer(type, new StdDelegatingDeserializer<>((Converter) new FunctionConverter<>(stored, type, read)));
    }

    private static OperatorRequest request(byte[] bytes) {
        Event event = EventCodec.decodeEvent(bytes).orElseThrow();
        if (event instanceof OperatorRequest request) {
            return request;
        }
        throw new IllegalArgumentException("a " + event.getClass().getSimpleName()
                + " where an operator request was expected");
    }

    @SuppressWarnings("unchecked")
    private static ConfigTree tree(Map<?, ?> map) {
        return ConfigTree.of((Map<String, ?>) map);
    }

    /** A Jackson converter from a function; the types are given, since a lambda's cannot be read back. */
    private record FunctionConverter<I, O>(Class<I> in, Class<O> out, Function<I, O> function) implements Converter<I, O> {

        @Override
        public O convert(I value) {
            return function.apply(value);
        }

        @Override
        public JavaType getInputType(TypeFactory types) {
            return types.constructType(in);
        }

        @Override
        public JavaType getOutputType(TypeFactory types) {
            return types.constructType(out);
        }
    }
}
