package io.steward.agent.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.steward.agent.config.AgentConfig;
import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.events.Decoded;
import io.steward.events.kafka.EventDeserializer;
import io.steward.events.kafka.Topics;

/**
 * Forwards an operator request from this agent's REST API to the log and waits for the decider's
 * answer, so Patroni's endpoints keep answering with Patroni's status codes while the decision is
 * taken (and recorded) by the decider. One request at a time per agent. Thread-safe.
 */
public final class RequestForwarder implements AutoCloseable {

    /** The decider's verdict: an HTTP status and its message. */
    public record Answer(int status, String message) {
    }

    private final KafkaConsumer<String, Decoded<Event>> consumer;
    private final EventPublisher publisher;
    private final String topic;

    public RequestForwarder(AgentConfig config, EventPublisher publisher) {
        Properties properties = new Properties();
        properties.putAll(config.kafka().properties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "steward-agent-answers-" + config.name());
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new EventDeserializer());
        this.publisher = publisher;
        this.topic = new Topics(config.kafka().topicPrefix()).log();
    }

    /** Publishes {@code request} and waits up to {@code timeout} for its answer. */
    public synchronized Answer forward(OperatorRequest request, Duration timeout) {
        String key = request.group().key();
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(3));
            if (partitions == null || partitions.isEmpty()) {
                return new Answer(503, "the log topic " + topic + " does not exist: is the decision service running?");
            }
            TopicPartition partition = new TopicPartition(topic, GroupPartition.of(key, partitions.size()));
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition, Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            return new Answer(503, "Kafka is not reachable: " + e.getMessage());
        }
        publisher.publish(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Decoded<Event>> record : consumer.poll(Duration.ofMillis(100))) {
                if (key.equals(record.key()) && record.value() instanceof Decoded.Ok<Event> ok
                        && ok.value() instanceof RequestAnswered answer && answer.requestId().equals(request.requestId())) {
                    return new Answer(answer.status(), answer.message());
                }
            }
        }
        return new Answer(503, "no answer from the decision service within " + timeout.toSeconds()
                + " s; the request is recorded and may still be carried out");
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
