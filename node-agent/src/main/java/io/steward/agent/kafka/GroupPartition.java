package io.steward.agent.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/** The partition a key lands in, as Kafka's default partitioner places keyed records. */
final class GroupPartition {

    private GroupPartition() {
    }

    static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
