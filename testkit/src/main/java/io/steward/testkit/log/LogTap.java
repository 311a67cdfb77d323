package io.steward.testkit.log;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.events.Decoded;
import io.steward.events.kafka.EventDeserializer;
import io.steward.events.kafka.LogHeaders;
import io.steward.testkit.Await;

/**
 * Reads the whole log topic from its beginning on a thread of its own (committed records only),
 * so a test can wait for the events it expects and look at their broker timestamps. Records that
 * cannot be decoded are kept as failures and fail {@link #assertNoUndecodable()}.
 *
 * <p>Thread-safe.
 */
public final class LogTap implements AutoCloseable {

    private final KafkaConsumer<String, Decoded<Event>> consumer;
    private final List<LogRecord> records = new ArrayList<>();
    private final List<String> undecodable = new ArrayList<>();
    private final java.util.Map<String, Long> bases = new java.util.HashMap<>();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private LogTap(String bootstrapServers, String topic, java.util.Map<String, String> client) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "testkit-logtap");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new EventDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.poller = new Thread(this::poll, "testkit-logtap");
        poller.setDaemon(true);
        poller.start();
    }

    /** Starts reading {@code topic} (which must exist) from its beginning. */
    public static LogTap open(String bootstrapServers, String topic) {
        return new LogTap(bootstrapServers, topic, java.util.Map.of());
    }

    /** The same as a client with {@code client}'s settings (a secured broker's credentials). */
    public static LogTap open(String bootstrapServers, String topic, java.util.Map<String, String> client) {
        return new LogTap(bootstrapServers, topic, client);
    }

    private void poll() {
        while (running) {
            try {
                for (ConsumerRecord<String, Decoded<Event>> record : consumer.poll(Duration.ofMillis(100))) {
                    synchronized (this) {
                        switch (record.value()) {
                            case Decoded.Ok<Event> ok -> {
                                records.add(new LogRecord(record.partition(), record.offset(),
                                        Instant.ofEpochMilli(record.timestamp()), ok.value()));
                                var basis = record.headers().lastHeader(LogHeaders.BASIS);
                                if (basis != null) {
                                    bases.put(record.partition() + "@" + record.offset(), Long.parseLong(
                                            new String(basis.value(), java.nio.charset.StandardCharsets.UTF_8)));
                                }
                            }
                            case Decoded.Failed<Event> failed -> undecodable.add(record.partition() + "@"
                                    + record.offset() + ": " + failed.reason());
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
        }
    }

    /** Everything read so far, in the order read (per partition, the log's order). */
    public synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The decision record's {@code steward.basis} header: the offset its decision was based on. */
    public synchronized java.util.OptionalLong basisOf(LogRecord record) {
        Long basis = bases.get(record.partition() + "@" + record.offset());
        return basis == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(basis);
    }

    /** The events of {@code type} read so far, in order. */
    public synchronized <T extends Event> List<T> events(Class<T> type) {
        return records.stream().map(LogRecord::event).filter(type::isInstance).map(type::cast).toList();
    }

    /** How many records have been read; pass it to {@link #awaitAfter} to wait only for later ones. */
    public synchronized int mark() {
        return records.size();
    }

    /** Waits for the first event of {@code type} matching {@code predicate}, read at any time. */
    public <T extends Event> T await(String what, Class<T> type, Predicate<T> predicate, Duration timeout) {
        return type.cast(awaitRecord(what, type, predicate, 0, timeout).event());
    }

    /** Waits for an event of {@code type} matching {@code predicate} among those read after {@code mark}. */
    public <T extends Event> T awaitAfter(int mark, String what, Class<T> type, Predicate<T> predicate,
                                          Duration timeout) {
        return type.cast(awaitRecord(what, type, predicate, mark, timeout).event());
    }

    /** Like {@link #awaitAfter} but returns the record, with its broker timestamp. */
    public <T extends Event> LogRecord awaitRecord(String what, Class<T> type, Predicate<T> predicate, int mark,
                                                   Duration timeout) {
        return Await.value(what, timeout, () -> {
            if (failure != null) {
                throw new IllegalStateException("the log tap stopped reading: " + failure, failure);
            }
            synchronized (this) {
                for (int i = mark; i < records.size(); i++) {
                    LogRecord record = records.get(i);
                    if (type.isInstance(record.event()) && predicate.test(type.cast(record.event()))) {
                        return java.util.Optional.of(record);
                    }
                }
                return java.util.Optional.empty();
            }
        });
    }

    /** Fails when a record on the log could not be decoded. */
    public synchronized void assertNoUndecodable() {
        if (!undecodable.isEmpty()) {
            throw new AssertionError("undecodable records on the log: " + undecodable);
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
    }
}
