package io.steward.events.kafka;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Reading a whole topic without a consumer group, as every folder of the log does. */
public final class LogPartitions {

    private LogPartitions() {
    }

    /** Assigns every partition of {@code topic} to {@code consumer}, at the beginning; returns them. */
    public static List<TopicPartition> assignAllFromBeginning(Consumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }
}
