package io.steward.events.snapshot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.core.state.ClusterState;
import io.steward.events.Decoded;
import io.steward.events.kafka.TopicLayout;
import io.steward.events.kafka.Topics;

/**
 * Snapshots of the folded state, one per log partition, on the compacted snapshots topic under
 * the key {@code log-<partition>}. A snapshot that cannot be read is skipped: that partition is
 * replayed from the beginning, which gives the same state, only slower. The decider writes them;
 * the decider and the audit UI start from them.
 */
public final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final Topics topics;

    public SnapshotStore(Topics topics) {
        this.topics = topics;
    }

    /** The record that stores partition {@code partition} of {@code state}. */
    public ProducerRecord<byte[], byte[]> record(ClusterState state, int partition) {
        byte[] value = SnapshotCodec.encode(PartitionSnapshot.of(state, partition));
        return new ProducerRecord<>(topics.snapshots(), key(partition).getBytes(StandardCharsets.UTF_8), value);
    }

    /** The latest readable snapshot of each log partition. */
    public Map<Integer, PartitionSnapshot> load(String bootstrapServers, Map<String, String> extra) {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(TopicLayout.MAX_SNAPSHOT_BYTES));
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "steward-snapshots");
        Map<Integer, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.snapshots(), Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Integer partition = partitionOf(record.key());
                    if (partition != null && record.value() != null) {
                        latest.put(partition, record.value());
                    }
                }
            }
        }
        Map<Integer, PartitionSnapshot> snapshots = new HashMap<>();
        latest.forEach((partition, bytes) -> {
            switch (SnapshotCodec.decode(bytes)) {
                case Decoded.Ok<PartitionSnapshot> ok -> snapshots.put(partition, ok.value());
                case Decoded.Failed<PartitionSnapshot> failed -> LOG.warn(
                        "the snapshot of log partition {} cannot be read ({}); replaying that partition from the start",
                        partition, failed.reason());
            }
        });
        return snapshots;
    }

    static String key(int partition) {
        return "log-" + partition;
    }

    private static Integer partitionOf(byte[] key) {
        if (key == null) {
            return null;
        }
        String text = new String(key, StandardCharsets.UTF_8);
        try {
            return text.startsWith("log-") ? Integer.parseInt(text.substring(4)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
