package io.steward.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.steward.core.command.Command;
import io.steward.core.event.Event;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.CommandDeserializer;
import io.steward.events.kafka.CommandSerializer;
import io.steward.events.kafka.EventDeserializer;
import io.steward.events.kafka.EventSerializer;

class CodecTest {

    @Test
    void everyEventRoundTripsThroughAvroUnchanged() {
        for (Event event : Samples.events()) {
            byte[] bytes = EventCodec.encode(event);
            assertThat(bytes[0]).isEqualTo((byte) 0xC3);
            assertThat(bytes[1]).isEqualTo((byte) 0x01);
            assertThat(EventCodec.decodeEvent(bytes)).as(event.toString()).isEqualTo(Decoded.ok(event));
        }
    }

    @Test
    void everyCommandRoundTripsThroughAvroUnchanged() {
        for (Command command : Samples.commands()) {
            assertThat(EventCodec.decodeCommand(EventCodec.encode(command))).isEqualTo(Decoded.ok(command));
        }
    }

    @Test
    void theSamplesCoverEveryRecordTypeOfTheCore() {
        Set<Class<?>> covered = new HashSet<>();
        Samples.events().forEach(event -> covered.add(event.getClass()));
        Samples.commands().forEach(command -> covered.add(command.getClass()));
        assertThat(covered).containsAll(concrete(Event.class)).containsAll(concrete(Command.class));
    }

    @Test
    void theKafkaSerdesRoundTripAndNeverThrow() {
        try (var serializer = new EventSerializer(); var deserializer = new EventDeserializer();
             var commandSerializer = new CommandSerializer(); var commandDeserializer = new CommandDeserializer()) {
            Event event = Samples.events().get(2);
            assertThat(deserializer.deserialize("t", serializer.serialize("t", event))).isEqualTo(Decoded.ok(event));
            Command command = Samples.commands().get(3);
            assertThat(commandDeserializer.deserialize("t", commandSerializer.serialize("t", command)))
                    .isEqualTo(Decoded.ok(command));
            assertThat(deserializer.deserialize("steward.log", null)).isInstanceOf(Decoded.Failed.class);
            assertThat(commandDeserializer.deserialize("t", serializer.serialize("t", event)))
                    .isInstanceOfSatisfying(Decoded.Failed.class, failed ->
                            assertThat(failed.reason()).contains("where a command was expected"));
        }
    }

    @Test
    void corruptRecordsYieldTypedErrorsCarryingTheRawBytes() {
        byte[] valid = EventCodec.encode(Samples.events().get(2));
        assertFailure(new byte[] {1, 2, 3}, "too short");
        byte[] marker = valid.clone();
        marker[0] = 'x';
        assertFailure(marker, "not an Avro single-object record");
        byte[] fingerprint = valid.clone();
        fingerprint[5] ^= 0x5A;
        assertFailure(fingerprint, "unknown schema fingerprint");
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 7);
        assertFailure(truncated, "corrupt MemberObserved record");
        byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 3);
        assertFailure(trailing, "trailing bytes");
        assertFailure("{\"member\": \"n1\"}".getBytes(), "not an Avro single-object record");
    }

    @Test
    void randomDamageNeverThrows() {
        Random random = new Random(11);
        int failures = 0;
        for (Event event : Samples.events()) {
            byte[] valid = EventCodec.encode(event);
            for (int i = 0; i < 200; i++) {
                byte[] damaged = valid.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int at = 10 + random.nextInt(damaged.length - 10);
                    damaged[at] = (byte) random.nextInt(256);
                }
                Decoded<Event> decoded = EventCodec.decodeEvent(damaged);
                if (decoded instanceof Decoded.Failed<Event> failed) {
                    assertThat(failed.raw()).isEqualTo(damaged);
                    assertThat(failed.reason()).isNotBlank();
                    failures++;
                }
            }
        }
        assertThat(failures).as("damaged records detected").isPositive();
    }

    private static void assertFailure(byte[] bytes, String reason) {
        assertThat(EventCodec.decodeEvent(bytes)).isInstanceOfSatisfying(Decoded.Failed.class, failed -> {
            assertThat(failed.reason()).contains(reason);
            assertThat(failed.raw()).isEqualTo(bytes);
        });
    }

    /** Every concrete (record) subtype of a sealed hierarchy. */
    private static Set<Class<?>> concrete(Class<?> root) {
        Set<Class<?>> found = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Class<?> type = todo.poll();
            if (type.isSealed()) {
                for (Class<?> sub : type.getPermittedSubclasses()) {
                    todo.add(sub);
                }
            } else if (type.isRecord()) {
                found.add(type);
            }
        }
        return found;
    }
}
