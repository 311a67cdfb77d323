package io.steward.agent.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.steward.agent.config.AgentConfig;
import io.steward.core.event.AgentEvent;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.Event;
import io.steward.events.kafka.FactSeal;
import io.steward.events.kafka.Topics;

/**
 * Hands the agent's facts in on the facts topic, sealed with this member's key (a decider admits
 * them into the log, ADR 7), without ever blocking whoever reports them: events go
 * into a queue that one thread hands to an idempotent producer (so Kafka keeps their order and
 * drops retried duplicates). When Kafka is away the queue holds what happened, up to a bound;
 * beyond it the oldest heartbeats are dropped first (the next heartbeat replaces them), never a
 * state change or a command outcome. Thread-safe.
 */
public final class EventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final int CAPACITY = 10_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String writer;
    private final byte[] writerKey;
    private final BlockingDeque<Event> queue = new LinkedBlockingDeque<>();
    private final Thread sender;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param writer    this member's identity ({@code member:<scope>/<name>})
     * @param writerKey the key it seals its facts with, or null to hand them in unsealed
     */
    public EventPublisher(AgentConfig.Kafka kafka, String clientId, String writer, byte[] writerKey) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString((int) Duration.ofMinutes(10).toMillis()));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = new Topics(kafka.topicPrefix()).facts();
        this.writer = writer;
        this.writerKey = writerKey == null ? null : writerKey.clone();
        this.sender = new Thread(this::send, "event-publisher");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues {@code event} for the log; returns at once. */
    public void publish(AgentEvent event) {
        enqueue(event);
    }

    /** Queues an operator request (from the REST API) for the log; returns at once. */
    public void publish(io.steward.core.event.OperatorRequest request) {
        enqueue(request);
    }

    private void enqueue(Event event) {
        if (queue.size() >= CAPACITY) {
            queue.removeIf(queued -> queued instanceof MemberObserved);
            if (queue.size() >= CAPACITY) {
                queue.pollFirst();
            }
            LOG.warn("Kafka is not taking events; dropped old heartbeats to keep state changes");
        }
        queue.offerLast(event);
    }

    /** Events queued and not yet handed to Kafka. */
    public int backlog() {
        return queue.size();
    }

    /** Sends that Kafka refused or timed out. */
    public long failures() {
        return failures.get();
    }

    private void send() {
        while (running) {
            Event event;
            try {
                event = queue.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                producer.send(sealed(event), (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                        LOG.warn("could not publish {}: {}", event.getClass().getSimpleName(), error.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                // Kafka unreachable for max.block.ms: keep the event and try again shortly.
                queue.offerFirst(event);
                failures.incrementAndGet();
                LOG.warn("Kafka unreachable ({}); {} events waiting", e.getMessage(), queue.size());
                sleep(500);
            }
        }
    }

    /** The record of {@code event} on the facts topic, sealed with this member's key when it has one. */
    private ProducerRecord<byte[], byte[]> sealed(Event event) {
        return FactSeal.fact(topic, writer, writerKey, keyOf(event), event);
    }

    static String keyOf(Event event) {
        return switch (event) {
            case AgentEvent agentEvent -> agentEvent.group().key();
            case io.steward.core.event.OperatorRequest request -> request.group().key();
            default -> Topics.CONTROL_KEY;
        };
    }

    /** Waits up to {@code timeout} for the queue to drain and Kafka to acknowledge. */
    public void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
        }
        producer.flush();
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
        flush(Duration.ofSeconds(2));
        running = false;
        sender.interrupt();
        producer.close(Duration.ofSeconds(2));
    }
}
