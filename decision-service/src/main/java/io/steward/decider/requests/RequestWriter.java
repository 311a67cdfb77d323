package io.steward.decider.requests;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.events.kafka.EventSerializer;
import io.steward.events.kafka.Topics;

/**
 * Writes an operator's request to the log, where the leader reads and answers it, and waits for
 * that answer. The request is recorded before anything acts on it, so the audit shows who asked
 * for what, answered or not. Thread-safe.
 */
public final class RequestWriter implements AutoCloseable {

    /** The decider's answer, or why there is none: an HTTP status and a message. */
    public record Answer(int status, String message) {
    }

    private final KafkaProducer<String, Event> producer;
    private final String topic;
    private final AnswerWaiters waiters;

    public RequestWriter(String bootstrapServers, Map<String, String> extra, Topics topics, AnswerWaiters waiters,
                         String instance) {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "steward-decider-requests-" + instance);
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new EventSerializer());
        this.topic = topics.log();
        this.waiters = waiters;
    }

    /** Records {@code request} and waits up to {@code timeout} for its answer. */
    public Answer submit(OperatorRequest request, Duration timeout) {
        CompletableFuture<RequestAnswered> answer = waiters.expect(request.requestId());
        try {
            producer.send(new ProducerRecord<>(topic, request.group().key(), request)).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            waiters.forget(request.requestId());
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new Answer(503, "the request could not be recorded in the log: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waiters.forget(request.requestId());
            return new Answer(503, "interrupted");
        }
        try {
            RequestAnswered answered = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(answered.status(), answered.message());
        } catch (TimeoutException e) {
            waiters.forget(request.requestId());
            return new Answer(503, "no answer from the leading decider within " + timeout.toSeconds()
                    + " s; the request is recorded and may still be carried out");
        } catch (ExecutionException e) {
            return new Answer(500, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, "interrupted");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
