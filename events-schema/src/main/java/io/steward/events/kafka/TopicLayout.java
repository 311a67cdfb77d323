package io.steward.events.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * How Steward's topics are made: the log keeps everything for ever and is stamped by the broker
 * ({@code LogAppendTime}), so event time is the log's own and never goes backwards within a
 * partition; the log, the facts and the commands topic have the same number of partitions, so a
 * group's facts and commands sit at the same partition number; snapshots are compacted.
 *
 * @param partitions        partitions of the log, the facts and the commands topic
 * @param replicationFactor copies of each partition (1 for a single broker, 3 in production)
 */
public record TopicLayout(int partitions, short replicationFactor) {

    /** The largest snapshot record the snapshots topic accepts (the writer's and reader's limit too). */
    public static final int MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;


    /** The topics of {@code topics}' prefix, with their settings. */
    public List<NewTopic> newTopics(Topics topics) {
        int minInSync = replicationFactor >= 3 ? 2 : 1;
        String minIsr = Integer.toString(minInSync);
        List<NewTopic> all = new ArrayList<>();
        all.add(new NewTopic(topics.log(), partitions, replicationFactor).configs(Map.of(
                "message.timestamp.type", "LogAppendTime",
                "retention.ms", "-1",
                "retention.bytes", "-1",
                "min.insync.replicas", minIsr)));
        all.add(new NewTopic(topics.facts(), partitions, replicationFactor).configs(Map.of(
                // a transport: every fact a decider admits is copied into the log
                "retention.ms", Long.toString(TimeUnit.DAYS.toMillis(7)),
                "min.insync.replicas", minIsr)));
        all.add(new NewTopic(topics.commands(), partitions, replicationFactor).configs(Map.of(
                "message.timestamp.type", "LogAppendTime",
                "retention.ms", Long.toString(TimeUnit.DAYS.toMillis(7)),
                "min.insync.replicas", minIsr)));
        all.add(new NewTopic(topics.snapshots(), partitions, replicationFactor).configs(Map.of(
                "cleanup.policy", "compact",
                // a partition's snapshot is one record; the writer and reader allow as much
                "max.message.bytes", Integer.toString(MAX_SNAPSHOT_BYTES),
                "min.insync.replicas", minIsr)));
        all.add(new NewTopic(topics.deadLetter(), 1, replicationFactor).configs(Map.of(
                "retention.ms", "-1",
                "min.insync.replicas", minIsr)));
        return all;
    }

    /** Creates whichever of the topics do not exist yet; existing ones are left as they are. */
    public void create(Admin admin, Topics topics) {
        for (NewTopic topic : newTopics(topics)) {
            try {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating " + topic.name(), e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create " + topic.name() + " within 30 s", e);
            }
        }
    }
}
