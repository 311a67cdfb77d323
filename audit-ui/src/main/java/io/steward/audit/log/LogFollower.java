package io.steward.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.core.event.Event;
import io.steward.core.event.LogRecord;
import io.steward.core.state.ClusterState;
import io.steward.events.Decoded;
import io.steward.events.codec.EventCodec;
import io.steward.events.kafka.LogHeaders;
import io.steward.events.kafka.LogPartitions;
import io.steward.events.kafka.Topics;
import io.steward.events.snapshot.PartitionSnapshot;
import io.steward.events.snapshot.SnapshotStore;

/**
 * Reads the log (committed records only) into a {@link LogStore}, from the beginning or from the
 * decider's latest snapshots, and then follows it. Each record stored is also handed to the
 * listeners (the alerting). A record that cannot be read is skipped and counted, never fatal (the
 * writers' consumers have dead-lettered it already). One thread.
 */
public final class LogFollower implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);

    /** Where reading starts. */
    public enum Start { BEGINNING, SNAPSHOT }

    private final LogStore store;
    private final Topics topics;
    private final String bootstrapServers;
    private final Map<String, String> kafkaProperties;
    private final Start start;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<RecordListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile long skipped;

    public LogFollower(LogStore store, String bootstrapServers, Map<String, String> kafkaProperties, Topics topics,
                       Start start) {
        this.store = store;
        this.topics = topics;
        this.bootstrapServers = bootstrapServers;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.start = start;
        Properties properties = new Properties();
        properties.putAll(kafkaProperties);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "steward-audit-ui");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Told of every record stored, in order, on the follower's thread. */
    @FunctionalInterface
    public interface RecordListener {
        /** {@code record} was stored: the folded state went from {@code before} to {@code after}. */
        void stored(ClusterState before, LogRecord record, ClusterState after);
    }

    public void addListener(RecordListener listener) {
        listeners.add(listener);
    }

    /** Whether the end of the log has been reached once. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Records that could not be read and were skipped. */
    public long skipped() {
        return skipped;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = LogPartitions.assignAllFromBeginning(consumer, topics.log());
            if (start == Start.SNAPSHOT) {
                startFromSnapshots(partitions);
            }
            LOG.info("the audit follows {} ({} partitions) from {}", topics.log(), partitions.size(),
                    start.name().toLowerCase());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    store(record);
                }
                if (!caughtUp && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                    caughtUp = true;
                    LOG.info("caught up with the log: {} records", store.size());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the audit stopped following the log: {}", e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void startFromSnapshots(List<TopicPartition> partitions) {
        Map<Integer, PartitionSnapshot> snapshots = new SnapshotStore(topics).load(bootstrapServers, kafkaProperties);
        if (snapshots.isEmpty()) {
            LOG.info("no snapshot yet: reading the log from the beginning");
            return;
        }
        store.startFrom(PartitionSnapshot.restore(snapshots.values()));
        for (TopicPartition partition : partitions) {
            PartitionSnapshot snapshot = snapshots.get(partition.partition());
            if (snapshot != null) {
                consumer.seek(partition, snapshot.position() + 1);
            }
        }
    }

    private void store(ConsumerRecord<byte[], byte[]> record) {
        switch (EventCodec.decodeEvent(record.value())) {
            case Decoded.Ok<Event> ok -> {
                LogRecord logRecord = new LogRecord(record.partition(), record.offset(),
                        Instant.ofEpochMilli(record.timestamp()), ok.value());
                ClusterState before = store.state();
                store.append(logRecord, record.value(), basis(record));
                ClusterState after = store.state();
                for (RecordListener listener : listeners) {
                    try {
                        listener.stored(before, logRecord, after);
                    } catch (RuntimeException e) {
                        LOG.warn("a listener failed on {}-{}@{}: {}", record.topic(), record.partition(),
                                record.offset(), e.getMessage(), e);
                    }
                }
            }
            case Decoded.Failed<Event> failed -> {
                skipped++;
                LOG.warn("a record on {}-{} at offset {} cannot be read and is skipped: {}", record.topic(),
                        record.partition(), record.offset(), failed.reason());
            }
        }
    }

    private static OptionalLong basis(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(LogHeaders.BASIS);
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
