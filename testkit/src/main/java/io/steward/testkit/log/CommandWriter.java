package io.steward.testkit.log;

import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.steward.core.command.Command;
import io.steward.core.command.CommandHeader;
import io.steward.core.model.GroupId;
import io.steward.events.kafka.CommandSerializer;
import io.steward.events.kafka.Topics;

/**
 * Plays the decider's part towards agents in tests of the agent alone: writes commands, stamped
 * with an epoch the test chooses, to the commands topic, as the decider would (same key, same
 * encoding). Also writes raw bytes, to show that agents survive poison records.
 */
public final class CommandWriter implements AutoCloseable {

    private final KafkaProducer<String, Command> producer;
    private final KafkaProducer<String, byte[]> rawProducer;
    private final Topics topics;

    public CommandWriter(String bootstrapServers, Topics topics) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "testkit-commands");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new CommandSerializer());
        this.rawProducer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    /** A header with a fresh id. */
    public static CommandHeader header(long epoch, GroupId group, String member) {
        return new CommandHeader(UUID.randomUUID().toString(), epoch, group, member);
    }

    /** Builds a command from a fresh header and sends it; returns it once Kafka has it. */
    public <C extends Command> C send(long epoch, GroupId group, String member, Function<CommandHeader, C> command) {
        C built = command.apply(header(epoch, group, member));
        send(built);
        return built;
    }

    /** Sends {@code command} and waits until Kafka acknowledges it. */
    public void send(Command command) {
        wait(producer.send(new ProducerRecord<>(topics.commands(), command.header().group().key(), command)));
    }

    /** Sends bytes that are no command at all under {@code group}'s key. */
    public void sendGarbage(GroupId group, byte[] bytes) {
        wait(rawProducer.send(new ProducerRecord<>(topics.commands(), group.key(), bytes)));
    }

    private static void wait(java.util.concurrent.Future<?> sent) {
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused the command: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the command within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        rawProducer.close(Duration.ofSeconds(5));
    }
}
