package io.steward.agent.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.agent.config.AgentConfig;
import io.steward.core.command.Command;
import io.steward.events.Decoded;
import io.steward.events.kafka.CommandDeserializer;
import io.steward.events.kafka.DeadLetters;
import io.steward.events.kafka.Topics;

/**
 * Reads the commands of this member's group from the commands topic (only committed ones) and
 * hands them to {@code handler}, in order, on one thread: this member's to carry out, the other
 * members' for their epochs (a newer decider's epoch is learnt from whichever command shows it).
 *
 * <p>It starts at the end of the partition: commands issued while the agent was not running are
 * not executed late; the decider re-issues what it still wants once the agent registers again.
 * Records it cannot decode are written to the dead-letter topic with the reason, logged and
 * skipped; the consumer never stops.
 */
public final class CommandConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandConsumer.class);

    private final KafkaConsumer<String, Decoded<Command>> consumer;
    private final String topic;
    private final String key;
    private final String member;
    private final Consumer<Command> handler;
    private final Topics topics;
    private final Properties producerProperties = new Properties();
    private KafkaProducer<byte[], byte[]> deadLetters;
    private final Thread poller;
    private volatile boolean running = true;
    private volatile boolean positioned;

    public CommandConsumer(AgentConfig config, Consumer<Command> handler) {
        Properties properties = new Properties();
        properties.putAll(config.kafka().properties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "steward-agent-commands-" + config.name());
        // a long poll: the broker answers as soon as a command is committed; 500 ms only bounds
        // how often an idle agent asks
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new CommandDeserializer());
        this.topics = new Topics(config.kafka().topicPrefix());
        this.topic = topics.commands();
        producerProperties.putAll(config.kafka().properties());
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG, "steward-agent-deadletters-" + config.name());
        producerProperties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        this.key = config.group().key();
        this.member = config.name();
        this.handler = handler;
        this.poller = new Thread(this::poll, "command-consumer");
        poller.setDaemon(true);
    }

    /**
     * Positions at the end of the group's partition (when the topic exists) and starts reading.
     * Call before the member registers, so no command issued after registration is missed.
     */
    public void start(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!positioned && System.nanoTime() < deadline) {
            position(true);
            if (!positioned) {
                sleep(100);
            }
        }
        if (!positioned) {
            LOG.warn("the commands topic {} is not there yet; reading it from its beginning once it is", topic);
        }
        poller.start();
    }

    private void position(boolean atEnd) {
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            if (partitions == null || partitions.isEmpty()) {
                return;
            }
            TopicPartition partition = new TopicPartition(topic, GroupPartition.of(key, partitions.size()));
            consumer.assign(List.of(partition));
            if (atEnd) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            long offset = consumer.position(partition, Duration.ofSeconds(5));
            positioned = true;
            LOG.info("reading commands for {} from {} at offset {}", member, partition, offset);
        } catch (RuntimeException e) {
            LOG.debug("commands topic not ready: {}", e.getMessage());
        }
    }

    private void poll() {
        while (running) {
            if (!positioned) {
                position(false);
                if (!positioned) {
                    sleep(500);
                    continue;
                }
            }
            try {
                for (ConsumerRecord<String, Decoded<Command>> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!key.equals(record.key())) {
                        continue; // another group sharing the partition
                    }
                    switch (record.value()) {
                        case Decoded.Ok<Command> ok -> handler.accept(ok.value());
                        case Decoded.Failed<Command> failed -> deadLetter(record, failed);
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("reading commands failed ({}); retrying", e.getMessage());
                sleep(500);
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, Decoded<Command>> record, Decoded.Failed<Command> failed) {
        LOG.error("skipping undecodable command at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                failed.reason());
        try {
            if (deadLetters == null) {
                deadLetters = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
            }
            deadLetters.send(DeadLetters.of(topics, record.topic(), record.partition(), record.offset(),
                    record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    failed.raw(), failed.reason(), "agent " + member), (metadata, error) -> {
                        if (error != null) {
                            LOG.warn("could not dead-letter the command at offset {}: {}", record.offset(),
                                    error.getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("could not dead-letter the command at offset {}: {}", record.offset(), e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(2));
        }
    }
}
